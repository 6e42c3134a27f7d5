import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

let stack: RoutingStack;
const messages = [{ role: "user" as const, content: "Private notes, please summarize." }];

beforeAll(async () => {
  stack = await startRoutingStack();
  await stack.feature("private_first", { route_preference: ["local", "end_user_byok", "platform_pool"] });
  await stack.feature("cloud_first", { route_preference: ["platform_pool", "local"] });
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.platform.resetCalls();
});

const endpoints = (token: string | undefined, method: "GET" | "POST", body?: unknown) =>
  stack.fetchApi("/v1/local/endpoints", { method, ...(token ? { token } : {}), ...(body ? { body } : {}) });

describe("POST|GET /v1/local/endpoints", () => {
  it("stores metadata per end user and lists only the caller's own", async () => {
    const alice = await stack.user("local-alice");
    const bob = await stack.user("local-bob");
    const created = await endpoints(alice.token, "POST", {
      name: "laptop",
      runtime: "ollama",
      models: ["llama3.1:8b", "qwen2.5:7b"],
      base_url: "http://127.0.0.1:11434",
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      id: expect.stringMatching(/^lep_/),
      name: "laptop",
      runtime: "ollama",
      models: ["llama3.1:8b", "qwen2.5:7b"],
      base_url: "http://127.0.0.1:11434/",
    });
    // The same name replaces the entry.
    const replaced = await endpoints(alice.token, "POST", { name: "laptop", runtime: "llama_cpp", models: ["phi-4"] });
    expect(replaced.status).toBe(201);
    const listed = (await (await endpoints(alice.token, "GET")).json()) as { items: Array<Record<string, unknown>> };
    expect(listed.items).toEqual([expect.objectContaining({ name: "laptop", runtime: "llama_cpp", base_url: null })]);
    expect(await (await endpoints(bob.token, "GET")).json()).toEqual({ items: [] });
  });

  it("refuses bad input with 400s that echo nothing, and callers without a session with 401", async () => {
    const { token } = await stack.user("local-carol");
    const secret = "hunter2-very-secret-token";
    for (const body of [
      { name: "x", runtime: "docker", models: ["m"] },
      { name: "x", runtime: "vllm", models: [] },
      { name: "x", runtime: "vllm", models: ["m"], base_url: `http://user:${secret}@127.0.0.1:8000` },
      { name: "x", runtime: "vllm", models: ["m"], base_url: `http://127.0.0.1:8000/?token=${secret}` },
      { name: "x", runtime: "vllm", models: ["m"], base_url: "file:///etc/passwd" },
      { name: "x", runtime: "vllm", models: ["m"], api_key: secret },
    ]) {
      const response = await endpoints(token, "POST", body);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text).error.code).toBe("invalid_request");
      expect(text).not.toContain(secret);
    }
    expect((await endpoints(undefined, "GET")).status).toBe(401);
    expect((await endpoints(undefined, "POST", { name: "x", runtime: "vllm", models: ["m"] })).status).toBe(401);
  });
});

describe("local-first routing", () => {
  it("takes the next cloud route even when the user has a local endpoint: the cloud never serves local", async () => {
    const { token } = await stack.user("local-dave", "1.00");
    expect((await endpoints(token, "POST", { name: "desk", runtime: "vllm", models: ["mistral-7b"] })).status).toBe(
      201,
    );
    const completion = await stack.client(token).chat.completions.create({ model: "auto:private_first", messages });
    expect((completion as unknown as { modelfaucet: { route_mode: string } }).modelfaucet.route_mode).toBe("platform");
    expect(stack.platform.calls.count).toBe(1);
  });

  it("uses the next route when the user has no local endpoint, and a cloud route listed first wins", async () => {
    const { token } = await stack.user("local-erin", "1.00");
    const skipped = await stack.client(token).chat.completions.create({ model: "auto:private_first", messages });
    expect((skipped as unknown as { modelfaucet: { route_mode: string } }).modelfaucet.route_mode).toBe("platform");

    const dave = await stack.user("local-frank", "1.00");
    await endpoints(dave.token, "POST", { name: "desk", runtime: "lm_studio", models: ["gemma"] });
    const cloud = await stack.client(dave.token).chat.completions.create({ model: "auto:cloud_first", messages });
    expect((cloud as unknown as { modelfaucet: { route_mode: string } }).modelfaucet.route_mode).toBe("platform");
    expect(stack.platform.calls.count).toBe(2);
  });
});
