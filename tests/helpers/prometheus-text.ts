import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+-]+|[Nn]a[Nn]|[+-]Inf)( -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * Parses Prometheus text exposition strictly enough to catch what scrapers
 * reject: malformed lines, samples of undeclared families, a TYPE declared
 * twice, counters not ending in `_total`.
 */
export function parsePrometheusText(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("# HELP ")) continue;
    if (line.startsWith("# TYPE ")) {
      const [, , name, type] = line.split(" ");
      if (!name || !type) throw new Error(`bad TYPE line: ${line}`);
      if (types.has(name)) throw new Error(`TYPE declared twice: ${name}`);
      if (type === "counter" && !name.endsWith("_total")) throw new Error(`counter without _total: ${name}`);
      if (type === "gauge" && name.endsWith("_total")) throw new Error(`gauge named like a counter: ${name}`);
      types.set(name, type);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`malformed sample line: ${line}`);
    const name = match[1]!;
    const family = [...types.keys()].find(
      (declared) => name === declared || /^_(bucket|sum|count)$/.test(name.slice(declared.length)),
    );
    if (!family) throw new Error(`sample of an undeclared family: ${name}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[3] ?? "").matchAll(LABEL)) labels[key!] = value!;
    samples.push({ name, labels, value: Number(match[4]) });
  }
  return samples;
}

// The contract names this histogram in milliseconds; promtool's style lint
// (exit 3, not a parse error) prefers base units. That one finding is expected.
const CONTRACT_NAME_LINT = /^modelfaucet_http_request_duration_ms metric names should not contain abbreviated units$/;

/**
 * Runs `promtool check metrics` when promtool is installed (CI installs it);
 * otherwise only the parser above checks the text.
 */
export function promtoolCheck(text: string): void {
  const promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].find((path) => existsSync(path));
  if (!promtool) return;
  try {
    execFileSync(promtool, ["check", "metrics"], { input: text, stdio: ["pipe", "pipe", "pipe"] });
  } catch (error) {
    const { status, stdout, stderr } = error as { status: number; stdout: Buffer; stderr: Buffer };
    const findings = `${stdout}${stderr}`.split("\n").filter(Boolean);
    if (status !== 3 || !findings.every((line) => CONTRACT_NAME_LINT.test(line))) {
      throw new Error(`promtool rejected the metrics (exit ${status}): ${findings.join("; ")}`);
    }
  }
}
