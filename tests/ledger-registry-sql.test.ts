// Account ids and transfer codes are declared once, in the ledger's registry
// (packages/ledger/src/registry). SQL cannot import it, so this reads every
// migration and every SQL string in the workspace's production sources, and
// holds each account id or transfer code they spell out to the registry (and
// code that would build an owner's account id by hand).
// (Tests are left out: some write undeclared ids on purpose, to be caught.)
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PLATFORM_ACCOUNTS, TRANSFER_CODES } from "@modelfaucet/ledger";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SKIPPED = new Set(["node_modules", "dist", ".git", ".modelfaucet", "coverage", "testing"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|sql)$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const files = ["packages", "apps", "scripts"].flatMap((dir) => sourceFiles(join(ROOT, dir)));

/** Every match of `pattern` (global) in the workspace, SQL comments left out, as `file: match`. */
function occurrences(pattern: RegExp): Array<{ file: string; groups: string[] }> {
  return files.flatMap((file) => {
    const text = readFileSync(file, "utf8").replace(/^\s*--[^\n]*/gm, "");
    return [...text.matchAll(pattern)].map((match) => ({ file: relative(ROOT, file), groups: match.slice(1) }));
  });
}

describe("ledger registry in SQL", () => {
  it("finds the sources it checks", () => {
    expect(files.some((file) => file.endsWith("0002_ledger.sql"))).toBe(true);
    expect(files.some((file) => file.endsWith("run-payouts.ts"))).toBe(true);
  });

  it("spells out only declared platform accounts", () => {
    const found = occurrences(/'(platform:[a-z_]*)'/g);
    expect(found.length).toBeGreaterThan(0);
    const declared = new Set<string>(Object.values(PLATFORM_ACCOUNTS));
    // `'platform:' || kind` (the CHECK of migrations 0002 and 0010) builds a platform id from its kind.
    const undeclared = found.filter(({ groups: [id] }) => id !== "platform:" && !declared.has(id!));
    expect(undeclared).toEqual([]);
  });

  it("builds owner account ids only from the registry, never from a literal", () => {
    // In SQL (`'user:' || u.id`) or in code (`user:${id}`): ACCOUNT_ID_PREFIXES and accountIds say it once.
    expect(occurrences(/'(user|developer):'\s*\|\||`(user|developer):\$\{/g)).toEqual([]);
  });

  it("compares transfer codes only with declared codes", () => {
    const declared = new Set<string>(Object.values(TRANSFER_CODES));
    const compared = [
      ...occurrences(/\bcode\s*(?:=|<>|!=)\s*'([^']*)'/gi),
      ...occurrences(/\bcode\s+(?:NOT\s+)?IN\s*\(([^)]*)\)/gi).flatMap(({ file, groups: [list] }) =>
        [...list!.matchAll(/'([^']*)'/g)].map((match) => ({ file, groups: [match[1]!] })),
      ),
    ];
    expect(compared.filter(({ groups: [code] }) => !declared.has(code!))).toEqual([]);
  });
});
