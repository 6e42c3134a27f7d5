// @modelfaucet/react as an app developer gets it: `npm pack` of the SDK and
// the React package, installed with React from the tarballs into a project
// outside the workspace, a small app built with Vite, served with the app's
// own session endpoint, and driven in Chromium against the running services.
// One browser page goes through the cases in order, each as a different
// signed-in user of the app.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import type { Browser, Page, Request, Response } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./helpers/chromium.js";
import { installedProject } from "./helpers/packed-packages.js";
import { startReactAppServer, type ReactAppServer } from "./helpers/react-app-server.js";
import { testAppFiles } from "./helpers/react-test-page.js";
import { units } from "./helpers/revenue-stack.js";
import { startSdkStack, type SdkStack } from "./helpers/sdk-stack.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const SCREENSHOTS = join(REPO, "docs/screenshots");

let sdk: SdkStack;
let app: ReactAppServer;
/** The app's project (the packed packages installed) and where its pages are built. */
let scratch: string;
let web: string;
let browser: Browser;
let page: Page;
/** Console errors and uncaught exceptions of the page, for the last case. */
const pageErrors: string[] = [];

/** The README's React block, as written. */
async function readmeJsx() {
  const readme = await readFile(join(REPO, "README.md"), "utf8");
  const start = readme.indexOf("## Use it in your app");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const [block] = [...section.matchAll(/```jsx\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return block!;
}

/** Vite's production build of the test app's two pages; returns what Vite warned. */
async function buildPages(apiUrl: string) {
  // The README names the API's default address: this run's API is elsewhere.
  const files = testAppFiles(apiUrl, (await readmeJsx()).replaceAll("http://127.0.0.1:3001", apiUrl));
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(scratch, name), text)));
  const warnings: string[] = [];
  await build({
    root: scratch,
    configFile: false,
    logLevel: "warn",
    plugins: [react()],
    customLogger: {
      info: () => undefined,
      warn: (message) => warnings.push(message),
      warnOnce: (message) => warnings.push(message),
      error: (message) => warnings.push(message),
      clearScreen: () => undefined,
      hasErrorLogged: () => false,
      hasWarned: false,
    },
    build: {
      outDir: web,
      emptyOutDir: true,
      rolldownOptions: {
        input: [join(scratch, "index.html"), join(scratch, "readme.html")],
        // Rolldown's PLUGIN_TIMINGS hint ("JavaScript callbacks ran for 9.1s of this 9.1s build") says how
        // busy the machine was, not what the packages are: on a loaded machine it failed this test.
        checks: { bundlerTimings: false },
      },
    },
  });
  return warnings;
}

let viteWarnings: string[];
beforeAll(async () => {
  web = await mkdtemp(join(tmpdir(), "modelfaucet-react-web-"));
  await mkdir(SCREENSHOTS, { recursive: true });
  app = await startReactAppServer({
    root: web,
    mint: (externalUserId, featureKey) => sdk.minter.mint({ publicAppId: sdk.publicAppId, externalUserId, featureKey }),
  });
  // Only the app's origin may call the services from a browser, as in production.
  const origins = { API_CORS_ORIGINS: app.origin, GATEWAY_CORS_ORIGINS: app.origin };
  // The packed SDK and React with React itself, installed once per inputs hash and shared (packed-packages.ts).
  [sdk, browser, scratch] = await Promise.all([
    startSdkStack(origins),
    launchChromium(),
    installedProject("react-pack-check", ["sdk", "react"], ["react@^19.3.1", "react-dom@^19.3.1"]),
  ]);
  viteWarnings = await buildPages(sdk.stack.apiUrl);
  page = await browser.newPage({ viewport: { width: 900, height: 760 } });
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(String(error)));
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await sdk?.close();
  await Promise.all([scratch, web].map((dir) => dir && rm(dir, { recursive: true, force: true })));
});

/** Signs `externalUserId` in to the app and opens the chat page for `feature`, its wallet read. */
async function openChat(externalUserId: string, feature = "chat", path = "/") {
  app.signIn(externalUserId);
  await page.goto(`${app.origin}${path}?feature=${feature}`);
  await page.locator('output[data-state="ready"]').waitFor();
}

/** The wallet badge's amount as 1e-8 units ("Wallet: $0.99998766"; the badge never rounds). */
async function badgeUnits(): Promise<bigint> {
  const text = (await page.locator("output").textContent()) ?? "";
  const [, sign, whole, fraction] = /(-?)\$(\d+)\.(\d+)/.exec(text) ?? [];
  if (whole === undefined) throw new Error(`no amount in the wallet badge: ${text}`);
  return units(`${sign}${whole}.${fraction!.padEnd(8, "0")}`);
}

/** Records every text the last assistant message shows, as it changes (window.answerTexts). */
async function watchAnswer() {
  await page.evaluate(() => {
    const texts: string[] = [];
    Object.assign(window, { answerTexts: texts });
    new MutationObserver(() => {
      const answers = document.querySelectorAll("article.assistant .content");
      const text = answers[answers.length - 1]?.textContent ?? "";
      if (text !== "" && text !== texts[texts.length - 1]) texts.push(text);
    }).observe(document.querySelector(".messages")!, { subtree: true, childList: true, characterData: true });
  });
}

const answerTexts = () => page.evaluate(() => (window as unknown as { answerTexts: string[] }).answerTexts);

async function send(prompt: string) {
  await page.getByLabel("Message").fill(prompt);
  await page.getByRole("button", { name: "Send" }).click();
}

/** The last answer once its footer reached `state`: its text, request id and exact price. */
async function settledAnswer(state: "complete" | "stopped") {
  const answer = page.locator("article.assistant").last();
  await answer.locator(`.usage[data-state="${state}"]`).waitFor();
  return {
    text: (await answer.locator(".content").textContent()) ?? "",
    footer: (await answer.locator(".usage").textContent()) ?? "",
    requestId: (await answer.getAttribute("data-request-id"))!,
    price: (await answer.getAttribute("data-price"))!,
  };
}

/** Waits until the badge shows `expected` units (it is read again after each answer). */
async function badgeReaches(expected: bigint) {
  await expect.poll(badgeUnits, { timeout: 5000 }).toBe(expected);
}

describe("@modelfaucet/react from the packed packages, in Chromium", () => {
  it("builds with Vite without a warning", () => {
    expect(viteWarnings).toEqual([]);
  });

  it("streams an answer token by token, and the wallet badge drops by exactly the billed price", async () => {
    const user = await sdk.user("react-chat@example.com", { usd: "1.00" });
    await openChat("react-chat@example.com");
    expect(await badgeUnits()).toBe(units("1.00000000"));
    sdk.stack.mock.setBehavior({ chunkCount: 8, chunkDelayMs: 120, replyTokens: 24 });
    await watchAnswer();
    await send("Hello there");
    await page.locator('main[data-status="streaming"]').waitFor();
    const answer = await settledAnswer("complete");
    await page.locator('main[data-status="ready"]').waitFor();

    const texts = await answerTexts();
    expect(texts.length).toBeGreaterThanOrEqual(4);
    texts.slice(1).forEach((text, index) => expect(text.startsWith(texts[index]!)).toBe(true));
    expect(texts.at(-1)).toBe(answer.text);

    const billed = (await sdk.usageEvent(answer.requestId))!;
    expect(units(answer.price)).toBe(BigInt(billed.retail_units as string));
    expect(answer.footer).toContain(`${billed.input_tokens} in, ${billed.output_tokens} out`);
    await badgeReaches(units("1.00000000") - units(answer.price));
    expect(units((await user.faucet.wallet.get()).available_usd)).toBe(await badgeUnits());
    await page.screenshot({ path: join(SCREENSHOTS, "react-chat.png"), fullPage: true });
  });

  it("stop() mid-stream keeps the partial answer, billed for what arrived, and the badge drops by that", async () => {
    const before = await badgeUnits();
    sdk.stack.mock.setBehavior({ chunkCount: 24, chunkDelayMs: 200, replyTokens: 48 });
    await watchAnswer();
    await send("Tell me a long story");
    await expect.poll(async () => (await answerTexts()).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await page.getByRole("button", { name: "Stop" }).click();
    await page.locator('main[data-status="ready"]').waitFor();
    const answer = await settledAnswer("stopped");
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.footer).toContain("stopped");

    const billed = (await sdk.usageEvent(answer.requestId))!;
    expect(billed.output_tokens).toBeGreaterThan(0);
    expect(billed.output_tokens).toBeLessThan(48);
    expect(units(answer.price)).toBe(BigInt(billed.retail_units as string));
    await badgeReaches(before - units(answer.price));
    // Nothing more arrives once stopped: the text stays as it was.
    await page.waitForTimeout(500);
    expect(await page.locator("article.assistant .content").last().textContent()).toBe(answer.text);
    expect((await answerTexts()).at(-1)).toBe(answer.text);
    await page.screenshot({ path: join(SCREENSHOTS, "react-stopped.png"), fullPage: true });
    sdk.stack.mock.setBehavior({ chunkCount: 8, chunkDelayMs: 0, replyTokens: 24 });
  });

  it("shows the 402 notice on an empty wallet, and why the platform mode is unavailable", async () => {
    await openChat("react-empty@example.com");
    expect(await badgeUnits()).toBe(0n);
    const platform = page.locator('.routes [data-mode="platform"]');
    await expect.poll(() => platform.getAttribute("data-state")).toBe("unavailable");
    expect(await platform.textContent()).toContain("your wallet is empty");
    await send("Hello");
    const notice = page.locator('.notice[data-state="shown"]');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /Not enough credit: this request needs \$0\.\d+ and your wallet has \$0\.00/,
    );
    expect(await page.locator("main").getAttribute("data-status")).toBe("error");
    expect(await notice.getByRole("button", { name: "Top up $10.00" }).isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "react-insufficient-balance.png"), fullPage: true });
    // The one console error this case causes: Chromium's line for the 402 answer itself.
    const refused = pageErrors.filter((line) => /status of 402/.test(line));
    expect(refused).toHaveLength(1);
    pageErrors.splice(pageErrors.indexOf(refused[0]!), 1);
  });

  it("a BYOK key sent from ByokKeyForm never appears again: DOM, storage or any response", async () => {
    const rawKey = "sk-proj-REACTbrowserSECRET0123456789abcdWXYZ";
    await openChat("react-byok@example.com", "byok_first");
    const byok = page.locator('.routes [data-mode="byok"]');
    await expect.poll(() => byok.textContent()).toContain("no key added");

    const responses: Array<Promise<string>> = [];
    const requestsWithKey: string[] = [];
    const onRequest = (request: Request) => {
      if (request.postData()?.includes(rawKey)) requestsWithKey.push(`${request.method()} ${request.url()}`);
    };
    const onResponse = (response: Response) => void responses.push(response.text().catch(() => ""));
    page.on("request", onRequest);
    page.on("response", onResponse);
    const field = page.getByLabel("API key");
    expect(await field.getAttribute("type")).toBe("password");
    await field.fill(rawKey);
    await page.getByRole("button", { name: "Save key" }).click();
    await page.locator('form.byok[data-state="saved"]').waitFor();

    expect(await field.inputValue()).toBe("");
    const masked = (await page.getByRole("status").filter({ hasText: "Saved" }).textContent())!.replace("Saved ", "");
    expect(masked).toMatch(/WXYZ$/);
    expect(masked).not.toContain("SECRET");
    await expect.poll(() => byok.getAttribute("data-state")).toBe("available");
    await page.screenshot({ path: join(SCREENSHOTS, "react-byok.png"), fullPage: true });
    // The list after a reload comes from the server: masked too.
    await openChat("react-byok@example.com", "byok_first");
    await page.getByRole("list", { name: "Your stored keys" }).getByText(masked).waitFor();

    page.off("request", onRequest);
    page.off("response", onResponse);
    expect(requestsWithKey).toEqual([`POST ${sdk.stack.apiUrl}/v1/user/provider-keys`]);
    const seen = await page.evaluate(() => ({
      dom: document.documentElement.outerHTML,
      values: [...document.querySelectorAll("input")].map((input) => input.value),
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }));
    expect(JSON.stringify(seen)).not.toContain(rawKey);
    const bodies = await Promise.all(responses);
    expect(bodies.length).toBeGreaterThan(2);
    expect(bodies.filter((body) => body.includes(rawKey) || body.includes("REACTbrowserSECRET"))).toEqual([]);
  });

  it("runs README's React block as written: it streams an answer and shows its cost", async () => {
    await sdk.user("react-readme@example.com", { usd: "1.00" });
    await openChat("react-readme@example.com", "chat", "/readme.html");
    await page.locator('input[name="prompt"]').fill("Hello");
    await page.getByRole("button", { name: "Send" }).click();
    const footer = page.locator('p[data-state="complete"]');
    await footer.waitFor();
    expect(await footer.textContent()).toMatch(/^\d+ in, \d+ out · \$0\.\d+ · Platform credits$/);
    await badgeReaches(
      units("1.00000000") - units((await footer.textContent())!.match(/\$(0\.\d+)/)![1]!.padEnd(10, "0")),
    );
    await page.screenshot({ path: join(SCREENSHOTS, "react-readme.png"), fullPage: true });
  });

  it("logged no other console error and threw nothing", () => {
    expect(pageErrors).toEqual([]);
  });
});
