// The CRM demo end to end in Chromium: the page built and served by its own
// backend (which mints sessions with the app secret), drafting replies on
// wallet credits, on the user's own key (a fake OpenAI-compatible provider)
// and on a local model through a real Local Bridge (a fake Ollama behind it).
// After each answer the wallet badge has moved by exactly what the ledger
// settled for that request; at the end the ledger reconciles, the browser
// logged no error, and screenshots of each state are in docs/screenshots/.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPLY_PIECES } from "@modelfaucet/bridge/testing";
import { launchChromium } from "./helpers/chromium.js";
import { billedRequest, BYOK_KEY, CRM_WALLET_USD, startCrmStack, type CrmStack } from "./helpers/crm-stack.js";
import { REPO_ROOT } from "./helpers/processes.js";
import { units } from "./helpers/revenue-stack.js";

const SCREENSHOTS = join(REPO_ROOT, "docs/screenshots");
/** How long a poll waits for the page or the ledger (vitest's default, 1 s, is short on a busy machine). */
const POLL = { timeout: 15_000 };

let crm: CrmStack;
let browser: Browser;
let page: Page;
const browserErrors: string[] = [];

beforeAll(async () => {
  [crm, browser] = await Promise.all([startCrmStack(), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on("console", (message) => {
    if (message.type() === "error") browserErrors.push(message.text());
  });
  page.on("pageerror", (error) => browserErrors.push(error.message));
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.goto(crm.crmUrl);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await crm?.close();
});

/** The badge's amount ("Credits: $1.99987654") as units of 1e-8 USD; null while it loads. */
async function badgeUnits(): Promise<bigint | null> {
  const text = (await page.locator("output.wallet-badge").textContent()) ?? "";
  const amount = /\$(\d+)\.(\d+)$/.exec(text);
  return amount ? units(`${amount[1]}.${amount[2]!.padEnd(8, "0")}`) : null;
}

/** What the badge shows once it has loaded. */
async function loadedBadgeUnits(): Promise<bigint> {
  await expect.poll(badgeUnits, POLL).not.toBeNull();
  return (await badgeUnits())!;
}

async function chooseRoute(label: string) {
  await page.getByRole("button", { name: /^AI:/ }).click();
  const settings = page.getByRole("dialog", { name: "AI settings" });
  await settings.getByLabel(label, { exact: true }).check();
  await settings.getByRole("button", { name: "Close" }).click();
}

/**
 * Waits until the answer billed in `billed` (a .billed-usage element)
 * settled in `state`; the badge must then have moved from `before` by
 * exactly the usage event's retail price — and agree with the wallet as
 * the API reads it.
 */
async function settledAnswer(billed: Locator, before: bigint, state: "complete" | "stopped" = "complete") {
  await billed.locator(`.usage-footer[data-state=${state}]`).waitFor();
  const requestId = (await billed.getAttribute("data-request-id"))!;
  // A local answer's usage event is written when the bridge's report lands, just after the answer.
  await expect.poll(() => billedRequest(crm.db, requestId), POLL).toBeDefined();
  const event = (await billedRequest(crm.db, requestId))!;
  const price = BigInt(event.retail_units);
  await expect.poll(badgeUnits, POLL).toBe(before - price);
  expect(units((await crm.user.wallet.get()).available_usd)).toBe(before - price);
  return { ...event, price, footer: (await billed.textContent()) ?? "" };
}

/** Opens a ticket and drafts a reply with the route chosen; the draft's text and what it was billed. */
async function draftReply(ticketId: string) {
  await page.goto(`${crm.crmUrl}/#/inbox/${ticketId}`);
  const before = await loadedBadgeUnits();
  const composer = page.getByTestId("reply-composer");
  await composer.getByRole("button", { name: /Draft with AI/ }).click();
  const billed = await settledAnswer(composer.locator(".billed-usage"), before);
  return { ...billed, text: await composer.getByRole("textbox").inputValue() };
}

describe("the CRM demo in Chromium", () => {
  it("starts with the funded wallet in the badge and the Local Bridge found", async () => {
    await expect.poll(badgeUnits, POLL).toBe(units(`${CRM_WALLET_USD}000000`));
    await page.locator(".bridge-status[data-state=available]").waitFor();
  });

  it("drafts a reply on wallet credits, billed at the platform price", async () => {
    await chooseRoute("Platform credits");
    const draft = await draftReply("t_1042");
    expect(draft.route_mode).toBe("platform");
    expect(draft.price).toBeGreaterThan(0n);
    expect(draft.text).toMatch(/^Hi Diego,/);
    expect(draft.footer).toContain("Platform credits");
    await page.getByTestId("summary").getByRole("button", { name: "Summarize thread" }).click();
    await page.getByTestId("fields").getByRole("button", { name: "Extract fields" }).click();
    await page.getByTestId("summary").locator(".usage-footer[data-state=complete]").waitFor();
    await page.getByTestId("fields").locator(".usage-footer[data-state=complete]").waitFor();
    await expect
      .poll(() => page.getByTestId("fields").locator("dd").first().textContent(), POLL)
      .toBe("Diego Ferreira");
    await page.screenshot({ path: join(SCREENSHOTS, "crm-inbox-platform.png") });
  });

  it("stops a draft midway: what arrived stays, and is exactly what the wallet pays", async () => {
    crm.model.chunkDelayMs = 250;
    await page.goto(`${crm.crmUrl}/#/inbox/t_1039`);
    const before = await loadedBadgeUnits();
    const composer = page.getByTestId("reply-composer");
    await composer.getByRole("button", { name: /Draft with AI/ }).click();
    const draft = composer.getByRole("textbox");
    await expect.poll(() => draft.inputValue(), POLL).toMatch(/^Hi Sam,\s+\S+ \S+ \S+/);
    await composer.getByRole("button", { name: "Stop" }).click();
    const billed = await settledAnswer(composer.locator(".billed-usage"), before, "stopped");
    crm.model.chunkDelayMs = 5;
    expect(billed.route_mode).toBe("platform");
    expect(billed.footer).toContain("stopped");
    // The whole reply is about 100 tokens and ends with its signature.
    expect(await draft.inputValue()).not.toContain("The Parcelly team");
    expect(billed.output_tokens).toBeLessThan(60);
  });

  it("drafts a reply on the user's own key, billed only the feature's BYOK fee", async () => {
    await page.getByRole("button", { name: /^AI:/ }).click();
    const settings = page.getByRole("dialog", { name: "AI settings" });
    await settings.getByLabel("Provider", { exact: true }).selectOption("openai_compatible");
    await settings.getByLabel("API key").fill(BYOK_KEY);
    await settings.getByLabel("Base URL").fill(`${crm.byok.url}/v1`);
    await settings.getByRole("button", { name: "Save key" }).click();
    await settings.getByText(/^Saved sk-/).waitFor();
    await settings.getByLabel("Your own key", { exact: true }).check();
    await page.screenshot({ path: join(SCREENSHOTS, "crm-byok-settings.png") });
    await settings.getByRole("button", { name: "Close" }).click();

    const calls = crm.byok.calls.count;
    const draft = await draftReply("t_1041");
    expect(draft.route_mode).toBe("byok");
    expect(draft.price).toBe(units("0.00010000"));
    expect(draft.text).toMatch(/^Mock/);
    expect(crm.byok.calls.count).toBe(calls + 1);
    expect(draft.footer).toContain("Your own key");
  });

  it("drafts a reply on a local model through the Local Bridge, billed only the feature's local fee", async () => {
    await chooseRoute("Local model");
    const draft = await draftReply("t_1038");
    expect(draft.route_mode).toBe("local");
    expect(draft.price).toBe(units("0.00020000"));
    expect(draft.text).toBe(REPLY_PIECES.join(""));
    expect(draft.footer).toContain("Local model");
    // The bridge passed the call to the local server under the model's own name; the cloud saw token counts only.
    const chats = crm.ollama.requests.filter((request) => request.path === "/v1/chat/completions");
    expect(chats.at(-1)?.body).toMatchObject({ model: "qwen2.5:7b", stream: true });
    await page.getByTestId("summary").getByRole("button", { name: "Summarize thread" }).click();
    await page.getByTestId("summary").locator(".usage-footer[data-state=complete]").waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "crm-inbox-local.png") });
  });

  it("searches by meaning, billed as shown", async () => {
    await chooseRoute("Platform credits");
    await page.goto(`${crm.crmUrl}/#/search`);
    const before = await loadedBadgeUnits();
    await page.getByRole("button", { name: "printer problems" }).click();
    const results = page.getByTestId("search-results");
    const billed = await settledAnswer(results.locator(".billed-usage"), before);
    expect(billed.route_mode).toBe("platform");
    await expect
      .poll(() => results.getByRole("link").first().textContent(), POLL)
      .toBe("Label printer prints blank labels");
    await page.screenshot({ path: join(SCREENSHOTS, "crm-search.png") });
    await page.goto(`${crm.crmUrl}/#/deals`);
    await page.getByRole("region", { name: "negotiation" }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "crm-deals.png") });
  });

  it("leaves the ledger reconciled and the browser console clean", async () => {
    const reconciliation = await crm.stack.admin("GET", "/v1/admin/reconciliation/ledger");
    expect(await reconciliation.json()).toMatchObject({ ok: true, mismatches: [] });
    expect(browserErrors).toEqual([]);
  });
});
