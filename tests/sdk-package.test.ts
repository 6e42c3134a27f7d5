// The SDK as an app developer gets it: `npm pack` of packages/sdk, installed
// from the tarball into a project outside the workspace (under the OS temp
// directory), then used from Node against the running services and bundled
// for the browser by Vite. Nothing here reaches into the workspace's sources.
// The tarball and its install are made once per inputs hash and shared
// (tests/helpers/packed-packages.ts); this file's scripts run in a directory
// of its own that links to that install.
import { execFile, spawn } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { signUserAssertion } from "@modelfaucet/crypto";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installedProject, packedPackages } from "./helpers/packed-packages.js";
import { DEVELOPER_ADMIN_TOKEN, units } from "./helpers/revenue-stack.js";
import { startSdkStack, type SdkStack } from "./helpers/sdk-stack.js";

const run = promisify(execFile);
const REPO = fileURLToPath(new URL("..", import.meta.url));

let sdk: SdkStack;
let scratch: string;
let packedFiles: string[];

beforeAll(async () => {
  const [stack, project, packs] = await Promise.all([
    startSdkStack(),
    installedProject("sdk-pack-check", ["sdk"]),
    packedPackages(),
  ]);
  [sdk, scratch, packedFiles] = [stack, project, packs.set.sdk.files];
}, 240_000);
afterAll(async () => {
  await sdk?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the packed @modelfaucet/sdk", () => {
  it("holds the built files only and depends on eventsource-parser alone", async () => {
    expect(
      packedFiles.every((path) => path.startsWith("dist/") || path === "package.json" || path === "README.md"),
    ).toBe(true);
    expect(packedFiles).toEqual(
      expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/server.js", "dist/errors.d.ts"]),
    );
    const manifest = JSON.parse(await readFile(join(scratch, "node_modules/@modelfaucet/sdk/package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies)).toEqual(["eventsource-parser"]);
    expect(await readdir(join(scratch, "node_modules/@modelfaucet"))).toEqual(["sdk"]);
  });

  it("runs in Node from its three entries against the services", async () => {
    // The end user's wallet, credited before the packed client spends from it.
    await sdk.user("packed@example.com", { usd: "1.00" });
    const script = `
      import { createFaucet, FaucetError } from "@modelfaucet/sdk";
      import { createSessionMinter, signUserAssertion } from "@modelfaucet/sdk/server";
      import { NoRouteError } from "@modelfaucet/sdk/errors";
      const { API_URL, APP_ID, SECRET_KEY } = process.env;
      const minter = createSessionMinter({ secretKey: SECRET_KEY, apiBaseUrl: API_URL });
      const faucet = createFaucet({
        apiBaseUrl: API_URL,
        getSession: () => minter.mint({ publicAppId: APP_ID, externalUserId: "packed@example.com", featureKey: "chat" }),
      });
      const stream = faucet.chat.stream({ model: "mock-small", messages: [{ role: "user", content: "Hi" }] });
      let chunks = 0;
      for await (const _chunk of stream) chunks += 1;
      const final = await stream.final;
      const refused = await faucet.chat.create({ model: "mock-small", messages: [{ role: "user", content: "Hi" }] }, { route: "byok" }).catch((error) => error);
      const assertion = signUserAssertion({ secretKey: SECRET_KEY, publicAppId: APP_ID, externalUserId: "packed@example.com", expiresAtSeconds: 2000000000 });
      console.log(JSON.stringify({
        chunks, requestId: stream.requestId, price: final.price_usd, content: final.content,
        refused: { is: FaucetError.is(refused, "no_available_route"), noRoute: refused instanceof NoRouteError, status: refused.status },
        assertion,
      }));
    `;
    await writeFile(join(scratch, "check.mjs"), script);
    const { stdout } = await run(process.execPath, ["check.mjs"], {
      cwd: scratch,
      env: { ...process.env, API_URL: sdk.stack.apiUrl, APP_ID: sdk.publicAppId, SECRET_KEY: sdk.secretKey },
    });
    const result = JSON.parse(stdout);
    expect(result.chunks).toBeGreaterThan(0);
    expect(result.content.length).toBeGreaterThan(0);
    expect(units(result.price)).toBe(BigInt((await sdk.usageEvent(result.requestId))!.retail_units as string));
    expect(result.refused).toEqual({ is: true, noRoute: true, status: 409 });
    expect(result.assertion).toEqual({
      user_assertion: signUserAssertion(sdk.secretKey, sdk.publicAppId, "packed@example.com", 2_000_000_000),
      assertion_expires_at: 2_000_000_000,
    });
  });

  it("bundles for the browser with Vite, without Node polyfills or a node: import", async () => {
    await writeFile(join(scratch, "index.html"), `<!doctype html><script type="module" src="./main.js"></script>`);
    await writeFile(
      join(scratch, "main.js"),
      `import { createFaucet, FaucetError } from "@modelfaucet/sdk";
       const faucet = createFaucet({ getSession: () => fetch("/session").then((r) => r.json()) });
       window.faucet = faucet;
       window.isFaucetError = FaucetError.is;`,
    );
    const warnings: string[] = [];
    await build({
      root: scratch,
      configFile: false,
      logLevel: "warn",
      customLogger: {
        info: () => undefined,
        warn: (message) => warnings.push(message),
        warnOnce: (message) => warnings.push(message),
        error: (message) => warnings.push(message),
        clearScreen: () => undefined,
        hasErrorLogged: () => false,
        hasWarned: false,
      },
      build: { outDir: join(scratch, "web"), emptyOutDir: true },
    });
    const assets = (await readdir(join(scratch, "web/assets"))).filter((file) => file.endsWith(".js"));
    const code = (await Promise.all(assets.map((file) => readFile(join(scratch, "web/assets", file), "utf8")))).join(
      "\n",
    );
    expect(code).toContain("x-modelfaucet-route");
    expect(code).not.toMatch(/["'`]node:/);
    expect(code).not.toMatch(/\brequire\(/);
    expect(warnings.filter((warning) => /externalized for browser|node:/.test(warning))).toEqual([]);
  });

  it('runs README\'s "Use it in your app" as written: the server mints, the page streams', async () => {
    const readme = await readFile(join(REPO, "README.md"), "utf8");
    const start = readme.indexOf("## Use it in your app");
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const [server, page] = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!);
    // The README names the API's default address: this run's API is elsewhere.
    const atApi = (code: string) => code.replaceAll("http://127.0.0.1:3001", sdk.stack.apiUrl);
    const created = await fetch(`${sdk.stack.apiUrl}/v1/developer/apps/app_demo/secret-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${DEVELOPER_ADMIN_TOKEN}` },
    });
    const { secret_key: secretKey } = (await created.json()) as { secret_key: string };
    const { walletId } = await sdk.stack.user("user-42", "1.00");
    const port = await freePort();
    await writeFile(join(scratch, "readme-server.mjs"), atApi(server!));
    // A browser resolves "/session" against the page's origin, the app's server.
    const pageFetch = `const pageFetch = globalThis.fetch;
      globalThis.fetch = (url, init) => pageFetch(new URL(url, "http://127.0.0.1:${port}"), init);\n`;
    const report = "\nconsole.log(JSON.stringify({ answer, usage, price_usd }));\n";
    await writeFile(join(scratch, "readme-page.mjs"), pageFetch + atApi(page!) + report);

    const env = {
      ...process.env,
      MODELFAUCET_SECRET_KEY: secretKey,
      MODELFAUCET_APP_ID: "app_demo",
      PORT: String(port),
    };
    const app = spawn(process.execPath, ["readme-server.mjs"], { cwd: scratch, env, stdio: "ignore" });
    try {
      await until(() => fetch(`http://127.0.0.1:${port}/session`).then((response) => response.ok));
      const { stdout } = await run(process.execPath, ["readme-page.mjs"], { cwd: scratch });
      const { answer, usage, price_usd: price } = JSON.parse(stdout);
      expect(answer.length).toBeGreaterThan(0);
      expect(usage.completion_tokens).toBeGreaterThan(0);
      const spent = await sdk.db.query<{ retail: string }>(
        "SELECT sum(retail_units)::text AS retail FROM usage_events WHERE end_user_id = $1",
        [walletId],
      );
      expect(units(price)).toBe(BigInt(spent.rows[0]!.retail));
    } finally {
      app.kill();
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(ready: () => Promise<boolean>) {
  for (let tries = 0; tries < 100; tries += 1) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the README's server did not start");
}
