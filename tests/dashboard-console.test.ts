import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./helpers/chromium.js";
import {
  openConsoleTab,
  screenshots,
  seriousViolations,
  signIn,
  type ConsoleTab,
} from "./helpers/dashboard-browser.js";
import { startDashboardStack, type DashboardStack } from "./helpers/dashboard-stack.js";

interface Completion {
  usage: { prompt_tokens: number; completion_tokens: number };
  modelfaucet: { request_id: string; price_usd: string; feature_key: string; route_mode: string };
}

interface Developer {
  id: string;
  token: string;
}

/**
 * The dashboard in Chromium against `modelfaucet start` (API, Gateway,
 * worker, mock provider, dashboard in one process), with real traffic made
 * by the test. The cases run in order: each builds on what the one before
 * did, as a person using the console would.
 */
let stack: DashboardStack;
let browser: Browser;
let developerA: Developer;
let developerB: Developer;
/** The session of the end user who made developer A's request. */
let alice: string;
const today = new Date().toISOString().slice(0, 10);

/** A developer registered by the operator, with an all-scopes `mf_dev_` token made with the developer admin token. */
async function registerDeveloper(name: string): Promise<Developer> {
  const developer = await stack.call<{ id: string }>(stack.adminToken, "POST", "/v1/admin/developers", {
    name,
    email: `${name.toLowerCase().replaceAll(" ", "-")}@example.com`,
  });
  const token = await stack.call<{ token: string }>(stack.developerAdminToken, "POST", "/v1/developer/tokens", {
    developer_id: developer.id,
    name: `${name} console`,
    scopes: [
      "developer:apps:read",
      "developer:apps:write",
      "developer:features:read",
      "developer:features:write",
      "developer:operations:read",
      "developer:provider_keys:read",
      "developer:provider_keys:write",
      "developer:tokens:read",
      "developer:tokens:write",
    ],
  });
  return { id: developer.id, token: token.token };
}

/** A funded end user of a public app, and one chat completion of theirs on `featureKey`. */
async function traffic(appId: string, featureKey: string, user: string): Promise<Completion & { session: string }> {
  const { session_token: session } = await stack.call<{ session_token: string }>(null, "POST", "/v1/sessions", {
    public_app_id: appId,
    external_user_id: user,
  });
  const { wallet_id: walletId } = await stack.call<{ wallet_id: string }>(session, "GET", "/v1/user/wallet");
  await stack.call(stack.adminToken, "POST", `/v1/admin/wallets/${walletId}/credit-test-balance`, {
    amount_usd: "5.00",
  });
  const completion = await stack.call<Completion>(session, "POST", "/v1/chat/completions", {
    model: `auto:${featureKey}`,
    messages: [{ role: "user", content: "Write a short, friendly answer to a customer asking about delivery times." }],
  });
  return { ...completion, session };
}

/** Polls until `read` passes the matcher: pages fetch after they render, and a busy machine is slow. */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

/** The exact 8-decimal amount a Money element holds (its `value`), inside `scope`. */
const moneyIn = (page: Page, selector: string) => page.locator(`${selector} data.money`).first().getAttribute("value");

async function expectAccessible(tab: ConsoleTab, name: string): Promise<void> {
  expect(await seriousViolations(tab.page), name).toEqual([]);
  await screenshots(tab.page, name);
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
  [developerA, developerB] = await Promise.all([registerDeveloper("Developer A"), registerDeveloper("Developer B")]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("the dashboard in Chromium", () => {
  let developerTab: ConsoleTab;
  let appId: string;
  let request: Completion;
  let otherApp: { appId: string; requestId: string };
  let operatorTab: ConsoleTab;

  afterAll(async () => {
    await developerTab?.close();
    await operatorTab?.close();
  });

  it("signs a developer in, creates an app and a feature whose price preview matches a real request's price", async () => {
    developerTab = await openConsoleTab(browser, stack.dashboard);
    const { page } = developerTab;
    await page.goto("/sign-in");
    await expectAccessible(developerTab, "sign-in");
    await signIn(page, developerA.token, /\/developer$/);

    await page.getByRole("link", { name: "Apps & features" }).click();
    await page.getByLabel("Name").fill("Support desk");
    await page.getByLabel("Session mode").selectOption("public");
    await page.getByRole("button", { name: "Create app" }).click();
    const created = page.getByRole("status").filter({ hasText: "Created" });
    appId = (await created.locator("code").textContent())!;
    expect(appId).toMatch(/^app_/);
    await created.getByRole("link", { name: "Support desk" }).click();
    await page.getByRole("link", { name: "New feature" }).click();
    await page.getByLabel("Feature key").fill("reply");
    await page.getByLabel("Display name").fill("Customer reply");
    await page.getByLabel("Default model").selectOption("mock-small");
    await page.getByLabel("Markup over provider cost (%)").fill("30");
    await page.getByLabel("Your share of the margin (%)").fill("40");
    await page.getByRole("button", { name: "Create feature" }).click();
    await page.waitForURL(/\/features\/reply$/);
    await eventually(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Feature reply");

    ({ session: alice, ...request } = await traffic(appId, "reply", "alice@example.com"));
    expect(request.modelfaucet).toMatchObject({ feature_key: "reply", route_mode: "platform" });
    await page.getByLabel("Input tokens", { exact: true }).fill(String(request.usage.prompt_tokens));
    await page.getByLabel("Output tokens", { exact: true }).fill(String(request.usage.completion_tokens));
    await page.getByLabel("Route", { exact: true }).selectOption("platform");
    await eventually(() => moneyIn(page, '[data-field="retail"]')).toBe(request.modelfaucet.price_usd);
    await expectAccessible(developerTab, "feature-editor");

    // Developer B's app, feature and request: what A must never see.
    const appB = await stack.call<{ public_app_id: string }>(developerB.token, "POST", "/v1/developer/apps", {
      name: "Other company",
      session_mode: "public",
    });
    await stack.call(developerB.token, "POST", `/v1/developer/apps/${appB.public_app_id}/features`, {
      feature_key: "secret_plan",
      display_name: "Secret plan",
      policy: {
        route_preference: ["platform_pool"],
        fallback_to_platform: false,
        model_policy: "default_model",
        privacy: "standard",
        default_model: "mock-small",
        max_output_tokens: 256,
      },
      pricing: { mode: "usage_markup", markup_percent: 50, channel_share_bps: 5000, byok_gateway_fee_usd: "0" },
    });
    const requestB = await traffic(appB.public_app_id, "secret_plan", "bob@example.com");
    otherApp = { appId: appB.public_app_id, requestId: requestB.modelfaucet.request_id };
    expect(developerTab.problems).toEqual([]);
  });

  it("shows the request's day in the usage chart and its price split in the request log", async () => {
    const { page } = developerTab;
    await page.getByRole("link", { name: "Usage" }).click();
    await page.waitForURL(/\/developer\/usage/);
    const dayRow = page
      .getByRole("table", { name: /Daily usage/ })
      .getByRole("row")
      .filter({ hasText: today });
    await eventually(() => dayRow.count()).toBe(1);
    await eventually(() => page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    const logRow = page
      .getByRole("table", { name: /Requests of/ })
      .getByRole("row")
      .filter({ hasText: request.modelfaucet.request_id });
    await eventually(() => logRow.count()).toBe(1);
    expect(await logRow.locator("data.money").first().getAttribute("value")).toBe(request.modelfaucet.price_usd);
    await expectAccessible(developerTab, "usage");

    await logRow.getByRole("link").click();
    await page.waitForURL(/\/developer\/requests\//);
    const split = page.getByTestId("request-split");
    await expect
      .poll(() => split.locator('[data-field="retail"] data.money').getAttribute("value"))
      .toBe(request.modelfaucet.price_usd);
    await expectAccessible(developerTab, "request");

    await page.getByRole("link", { name: "Overview" }).click();
    await eventually(() => page.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    await expectAccessible(developerTab, "developer-overview");
    expect(developerTab.problems).toEqual([]);
  });

  it("never shows developer B's app, feature or request to developer A, even by editing the URL", async () => {
    const { page } = developerTab;
    await developerTab.expectingHttpErrors(async () => {
      for (const path of [
        `/developer/apps/${otherApp.appId}`,
        `/developer/apps/${otherApp.appId}/features/secret_plan`,
        `/developer/requests/${otherApp.requestId}`,
        `/developer/usage?app=${otherApp.appId}`,
      ]) {
        await page.goto(path);
        await page.getByRole("alert").first().waitFor();
        const text = await page.locator("main").innerText();
        expect(text, path).not.toContain("Other company");
        expect(text, path).not.toContain("Secret plan");
      }
    });
    await page.goto("/developer/apps");
    await page.getByRole("table", { name: "Your apps" }).waitFor();
    expect(await page.locator("main").innerText()).not.toContain("Other company");
    expect(developerTab.problems).toEqual([]);
  });

  it("shows developer A's apps, keys and revenue pages, and an end user their own wallet and usage", async () => {
    const { page } = developerTab;
    await page.getByRole("link", { name: "Apps & features" }).click();
    await page.getByRole("table", { name: "Your apps" }).waitFor();
    await expectAccessible(developerTab, "apps");
    await page.getByRole("link", { name: "Keys & tokens" }).click();
    await page.getByRole("heading", { name: "Keys & tokens" }).waitFor();
    await page.getByRole("table").first().waitFor();
    await expectAccessible(developerTab, "keys");
    await page.getByRole("link", { name: "Revenue & payouts" }).click();
    await page.getByRole("table", { name: "Revenue per day" }).waitFor();
    await expectAccessible(developerTab, "revenue");

    const user = await openConsoleTab(browser, stack.dashboard);
    try {
      await user.page.goto(`/user#session=${alice}`);
      const usage = user.page.getByRole("table", { name: "Your requests" });
      await eventually(() => usage.getByRole("row").count()).toBe(2);
      expect(user.page.url()).not.toContain("mf_sess_");
      const wallet = await stack.call<{ available_usd: string }>(alice, "GET", "/v1/user/wallet");
      const available = user.page.getByRole("region", { name: "Balance" }).locator("data.money").first();
      await eventually(() => available.getAttribute("value")).toBe(wallet.available_usd);
      // The user's own key, through @modelfaucet/react's ByokKeyForm: afterwards only its masked form is on the page.
      const rawKey = "sk-test-dashboard-0123456789wxyz";
      await user.page.getByLabel("API key").fill(rawKey);
      await user.page.getByRole("button", { name: "Save key" }).click();
      await user.page.getByRole("list", { name: "Your stored keys" }).getByText("sk-...wxyz").waitFor();
      expect(await user.page.content()).not.toContain(rawKey);
      await expectAccessible(user, "end-user");
      expect(user.problems).toEqual([]);
    } finally {
      await user.close();
    }
    expect(developerTab.problems).toEqual([]);
  });

  it("lets the operator run, approve and mark paid developer A's payout, and shows the ledger balanced", async () => {
    operatorTab = await openConsoleTab(browser, stack.dashboard);
    const { page } = operatorTab;
    await signIn(page, stack.adminToken, /\/operator$/);
    await page.getByRole("table", { name: /Daily usage/ }).waitFor();
    await expectAccessible(operatorTab, "operator-overview");

    await page.getByRole("link", { name: "Payouts" }).click();
    await page.getByLabel("Least balance to pay out (USD)").fill("0.00000001");
    await page.getByRole("button", { name: "Run payouts" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Created \d+ payout/ })
      .waitFor();
    const row = page.getByRole("row").filter({ hasText: developerA.id });
    await row.getByRole("textbox").fill("Matches the usage report");
    await row.getByRole("button", { name: /^Approve/ }).click();
    await row.getByRole("button", { name: /^Mark paid/ }).click();
    await eventually(() => row.getByRole("cell").nth(3).textContent()).toBe("paid");
    expect(await row.textContent()).toContain("Matches the usage report");
    await expectAccessible(operatorTab, "payouts");

    await developerTab.page.reload();
    const payout = developerTab.page.getByRole("table", { name: "Your payouts" }).getByRole("row").nth(1);
    await eventually(() => payout.getByRole("listitem").last().getAttribute("aria-current")).toBe("step");

    await page.getByRole("link", { name: "Reconciliation" }).click();
    const status = page.getByTestId("reconciliation-status");
    await eventually(() => status.textContent()).toMatch(/^The ledger balances: .* 0 mismatches/);
    await expectAccessible(operatorTab, "reconciliation");
    expect(operatorTab.problems).toEqual([]);
  });

  it("refuses an adjustment that reuses an idempotency key for other content", async () => {
    const { page } = operatorTab;
    await page.getByRole("link", { name: "Wallets" }).click();
    await page.getByLabel("App id").fill(appId);
    await page.getByRole("button", { name: "Apply" }).click();
    await page
      .getByRole("table", { name: `Wallets of ${appId}` })
      .getByRole("link")
      .first()
      .click();

    const adjust = async (amount: string, key?: string) => {
      await page.getByLabel("Amount (USD)").fill(amount);
      await page.getByLabel("Reason").fill("Goodwill credit after a slow answer");
      if (key) await page.getByLabel("Idempotency key").fill(key);
      const used = await page.getByLabel("Idempotency key").inputValue();
      await page.getByRole("button", { name: "Review adjustment" }).click();
      await page.getByRole("button", { name: "Confirm adjustment" }).click();
      return used;
    };
    const key = await adjust("1.25");
    await page.getByRole("status").filter({ hasText: "Applied." }).waitFor();
    // The balances at the top are read again after the adjustment: they show what the API holds now.
    const walletId = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1)!);
    const wallet = await stack.call<{ available_usd: string }>(
      stack.adminToken,
      "GET",
      `/v1/admin/wallets/${walletId}`,
    );
    const available = page.getByRole("region", { name: "Balance" }).locator("data.money").first();
    await eventually(() => available.getAttribute("value")).toBe(wallet.available_usd);
    await expectAccessible(operatorTab, "wallet");
    await operatorTab.expectingHttpErrors(async () => {
      await adjust("2.00", key);
      const refusal = page.getByRole("alert").filter({ hasText: "Adjustment refused" });
      await eventually(() => refusal.textContent()).toContain("conflict · HTTP 409");
    });

    await page.getByRole("link", { name: "Model catalog" }).click();
    await page.getByRole("table", { name: /Catalog rows/ }).waitFor();
    await expectAccessible(operatorTab, "catalog");
    await page.getByRole("link", { name: "Audit log" }).click();
    // Newest first: the adjustment above (the refused one wrote nothing).
    const newest = page
      .getByRole("table", { name: /Audit entries/ })
      .getByRole("row")
      .nth(1);
    await eventually(() => newest.textContent()).toContain("wallet.adjustment_credit");
    await expectAccessible(operatorTab, "audit");
    expect(operatorTab.problems).toEqual([]);
  });

  it("signs out: the session is revoked, and its pages ask for a sign-in again", async () => {
    const { page } = developerTab;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.goto("/developer/usage");
    await page.waitForURL(/\/sign-in$/);
    expect(developerTab.problems).toEqual([]);
  });
});

describe("the dashboard's server", () => {
  it("serves the built pages: any page path is the app, hashed assets cached for good, a missing one 404", async () => {
    const page = await fetch(`${stack.dashboard}/developer/usage?from=2026-01-01`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();

    const asset = await fetch(`${stack.dashboard}${script}`, { headers: { "accept-encoding": "gzip" } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-encoding")).toBe("gzip");
    const etag = asset.headers.get("etag")!;
    await asset.arrayBuffer();
    const again = await fetch(`${stack.dashboard}${script}`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);

    expect((await fetch(`${stack.dashboard}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${stack.dashboard}/.build-inputs`)).status).toBe(404);
    expect((await fetch(`${stack.dashboard}/sign-in`, { method: "POST" })).status).toBe(405);
  });

  it("passes /v1 to the API on the same origin, so the cookie and the CSRF check hold", async () => {
    const signedIn = await fetch(`${stack.dashboard}/v1/console/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.dashboard },
      body: JSON.stringify({ token: developerA.token }),
    });
    expect(signedIn.status).toBe(201);
    expect(signedIn.headers.get("x-request-id")).toMatch(/^req_/);
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
    const { csrf_token: csrf } = (await signedIn.json()) as { csrf_token: string };
    const withoutCsrf = await fetch(`${stack.dashboard}/v1/console/session`, {
      method: "DELETE",
      headers: { cookie, origin: stack.dashboard },
    });
    expect(withoutCsrf.status).toBe(403);
    const signedOut = await fetch(`${stack.dashboard}/v1/console/session`, {
      method: "DELETE",
      headers: { cookie, origin: stack.dashboard, "x-csrf-token": csrf },
    });
    expect(signedOut.status).toBe(204);
  });
});
