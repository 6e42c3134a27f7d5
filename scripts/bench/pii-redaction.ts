import { compileRedactionPolicy, PiiVault } from "@modelfaucet/core";
import { mapChatRequestTexts } from "../../apps/gateway/src/privacy/chat-request-texts.js";
import { redactRequest } from "../../apps/gateway/src/privacy/redact-request.js";
import { restoreChatCompletion } from "../../apps/gateway/src/privacy/restore-answer.js";
import { ORDER_ID_PATTERN, piiPrompt, prosePrompt, PROSE_SENTENCE } from "./pii-prompt.js";

/**
 * `pnpm bench:pii`: what `privacy: redact_pii_before_cloud` adds to one chat
 * request with a 2 KB prompt — detecting and replacing its personal items
 * (the built-in detectors and one developer pattern) before the upstream
 * call, and restoring them in a 600-character answer — against the same
 * request with the policy off (`standard`: nothing to do); once for a prompt
 * holding six items, once for the same prose holding none. CPU only, in this
 * process: the end-to-end figures are `pnpm bench`'s. Knob: BENCH_PII_RUNS
 * (measured requests, default 20,000, after as many to warm up). `pnpm bench`
 * measures the same prompt end to end, with the policy off and on.
 * BENCH_PII_LONG=1 adds bodies of 3.9 MB (prose full of items, and single
 * runs with nowhere to cut: letters, digits, spaced digits, `a@b.`, dotted
 * digits, colons and hex digits, parenthesized digits, IBAN-like groups, and
 * 250,000 distinct emails that start alike): the time each
 * takes and the longest the event loop was held meanwhile (wall and CPU time).
 */
const runs = Number(process.env.BENCH_PII_RUNS ?? 20_000);

const policy = compileRedactionPolicy([ORDER_ID_PATTERN]);
const chatRequest = (content: string) => ({
  model: "mock-small",
  messages: [
    { role: "system" as const, content: "You are a concise, friendly support agent." },
    { role: "user" as const, content },
  ],
});

// The model's answer names the placeholders it was sent (the same ones every time: the prompt does not change).
const answer = `Thanks, I will write to [EMAIL_1] and [PHONE_1] shortly, and refund [IBAN_1]. ${PROSE_SENTENCE.repeat(5)}`;
const upstreamAnswer = { choices: [{ index: 0, message: { role: "assistant", content: answer } }] };

async function oneRequest(request: ReturnType<typeof chatRequest>): Promise<number> {
  const started = performance.now();
  const vault = new PiiVault(policy);
  await redactRequest(vault, request, mapChatRequestTexts);
  restoreChatCompletion(upstreamAnswer, vault);
  return performance.now() - started;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const micros = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

/** Times `runs` requests with `prompt` (after as many to warm up): p50, p99 and mean. */
async function timePrompt(name: string, prompt: string): Promise<void> {
  const request = chatRequest(prompt);
  for (let index = 0; index < runs; index++) await oneRequest(request);
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < runs; index++) times.push(await oneRequest(request));
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  const check = new PiiVault(policy);
  const sent = JSON.stringify(await redactRequest(check, request, mapChatRequestTexts));
  const shown = restoreChatCompletion(upstreamAnswer, check).choices[0]!.message.content;
  const restored =
    check.size === 0 ? shown === answer : shown.includes("jane.doe@example.com") && !shown.includes("[EMAIL_1]");
  process.stdout.write(
    `${name}: ${prompt.length} characters, ${check.size} items redacted (${sent.includes("jane.doe") ? "LEAK" : "none left"}), ` +
      `answer restored: ${restored}\n` +
      `  added per request (redact + restore): p50 ${micros(percentile(times, 0.5))}, p99 ${micros(percentile(times, 0.99))}, ` +
      `mean ${micros(times.reduce((a, b) => a + b, 0) / runs)}; CPU ${micros((cpu.user + cpu.system) / 1000 / runs)} ` +
      `per request (not counting time the machine gave other processes) over ${runs} requests\n`,
  );
}

process.stdout.write(`node ${process.version}\n`);
await timePrompt("2 KB prompt with items", piiPrompt());
await timePrompt("2 KB prompt, no items", prosePrompt());

if (process.env.BENCH_PII_LONG === "1") {
  const size = 3_900_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  let distinct = "";
  for (let n = 0; distinct.length < size; n++) distinct += `user${n}@x.io `;
  const bodies = {
    "prose with items": fill(`${piiPrompt(400)} `),
    "3.9 M letters": fill("y"),
    "3.9 M digits": fill("1"),
    '"1 1 1 …" (groups)': fill("1 "),
    '"a@b.a@b.…"': fill("a@b."),
    '"1.1.1.1.…"': fill("1."),
    '"1:a:1:a:…"': fill("1:a:"),
    '"(1) (1) …"': fill("(1) "),
    '"DE89 DE89 …"': fill("DE89 "),
    "distinct emails": distinct.slice(0, size),
  };
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  for (const [name, text] of Object.entries(bodies)) {
    const vault = new PiiVault(policy);
    // The longest gap between two turns of the event loop, in wall time and in this process's CPU time (which
    // leaves out the time the machine gave other processes, and counts GC helper threads).
    let last = performance.now();
    let lastCpu = cpuMs();
    let longest = 0;
    let longestCpu = 0;
    let ticking = true;
    const tick = () => {
      const now = performance.now();
      const cpu = cpuMs();
      longest = Math.max(longest, now - last);
      longestCpu = Math.max(longestCpu, cpu - lastCpu);
      last = now;
      lastCpu = cpu;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const started = performance.now();
    const startedCpu = cpuMs();
    await redactRequest(
      vault,
      { model: "mock-small", messages: [{ role: "user" as const, content: text }] },
      mapChatRequestTexts,
    );
    ticking = false;
    process.stdout.write(
      `${name.padEnd(20)} ${(performance.now() - started).toFixed(0)} ms in all (${(cpuMs() - startedCpu).toFixed(0)} ms CPU), ` +
        `longest block ${longest.toFixed(1)} ms (${longestCpu.toFixed(1)} ms CPU), ${vault.size} items\n`,
    );
  }
}
