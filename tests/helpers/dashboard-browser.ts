import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { REPO_ROOT } from "./processes.js";

export const DESKTOP = { width: 1280, height: 860 };
export const NARROW = { width: 390, height: 844 };

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const SCREENSHOTS = join(REPO_ROOT, "docs", "screenshots");

/** A browser tab on the dashboard that records every console error and uncaught exception. */
export interface ConsoleTab {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors so far, except the expected HTTP errors of `expectingHttpErrors`. */
  problems: string[];
  /**
   * Runs `action`, during which Chromium's "Failed to load resource: … 4xx"
   * lines are expected (a refused request the page shows as an error, on purpose).
   */
  expectingHttpErrors<T>(action: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openConsoleTab(browser: Browser, baseURL: string): Promise<ConsoleTab> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP, locale: "en-GB", timezoneId: "UTC" });
  const page = await context.newPage();
  const problems: string[] = [];
  let httpErrorsExpected = false;
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    if (httpErrorsExpected && /^Failed to load resource: the server responded with a status of 4\d\d/.test(text))
      return;
    problems.push(`console: ${text} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return {
    context,
    page,
    problems,
    async expectingHttpErrors(action) {
      httpErrorsExpected = true;
      try {
        return await action();
      } finally {
        httpErrorsExpected = false;
      }
    },
    close: () => context.close(),
  };
}

/** Signs in on the sign-in page with `token`, and waits for the page it lands on. */
export async function signIn(page: Page, token: string, landing: RegExp): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(landing);
}

/**
 * axe-core's serious and critical violations on the page as it is, one line
 * each. Injected with `evaluate`, which the page's Content-Security-Policy
 * does not govern (a script tag would be refused, as it should be).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<AxeResults> } }).axe;
    return axe.run(document);
  });
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(" "))
          .join(" | ")}`,
    );
}

interface AxeResults {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
}

/** Two frames: what a resize (charts follow their container through a ResizeObserver) needs to be painted. */
const settled = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** docs/screenshots/dashboard-<name>-desktop.png and -narrow.png (390 px wide), whole pages. */
export async function screenshots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(NARROW);
  try {
    await settled(page);
    await page.screenshot({ path: join(SCREENSHOTS, `dashboard-${name}-narrow.png`), fullPage: true });
  } finally {
    await page.setViewportSize(DESKTOP);
    await settled(page);
  }
}
