import { createTestDatabase, type TestDatabase } from "@modelfaucet/db/testing";
import { captureLogger } from "@modelfaucet/server-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRevenueStack, type RevenueStack } from "./helpers/revenue-stack.js";

const KEYS = {
  OPENAI_API_KEY: "sk-test-openai-0123456789abcdefSECRET",
  ANTHROPIC_API_KEY: "sk-ant-test-0123456789abcdefSECRET",
  GEMINI_API_KEY: "AIza-test-0123456789abcdefSECRET",
};

let database: TestDatabase;
let stack: RevenueStack;
const { logger, lines } = captureLogger("debug");
beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startRevenueStack(database.db, { ...KEYS, LOG_LEVEL: "debug" }, { logger });
});
afterAll(async () => {
  await stack.close();
  await database.db.close();
});

describe("the platform pool from server credentials", () => {
  it("lists the catalog models of every provider with a credential", async () => {
    const { token } = await stack.user("pool-1");
    const client = stack.client(token);
    const ids = (await client.models.list()).data.map((model) => model.id);
    expect(ids).toEqual(
      expect.arrayContaining(["mock-small", "gpt-4o-mini", "claude-3-5-haiku-20241022", "gemini-2.0-flash"]),
    );
  });

  it("never shows a provider key in operations output or logs", async () => {
    const bodies = await Promise.all(
      ["/health", "/ready", "/metrics", "/nope"].map(async (path) =>
        (await fetch(`${stack.gatewayUrl}${path}`)).text(),
      ),
    );
    logger.flush();
    const everything = [...bodies, ...lines].join("\n");
    for (const key of Object.values(KEYS)) expect(everything).not.toContain(key);
  });
});
