// GET /v1/models/{id} (the openai client's models.retrieve) answers an item
// of GET /v1/models, the same object; a model that is not in that list —
// unknown, or not routable for the session — is 404 not_found. Both show the
// session's feature's output cap (feature_max_output_tokens) beside the
// model's own max_output_tokens.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRoutingStack, type RoutingStack } from "./helpers/routing-stack.js";

let stack: RoutingStack;

beforeAll(async () => {
  stack = await startRoutingStack();
  await stack.feature("capped", { route_preference: ["platform_pool"], max_output_tokens: 300 });
  await stack.feature("generous", { route_preference: ["platform_pool"], max_output_tokens: 1_000_000 });
});
afterAll(async () => {
  await stack.close();
});

/** A session of the demo app bound to `feature`, as the official client. */
async function clientFor(feature: string): Promise<OpenAI> {
  const minted = await stack.fetchApi("/v1/sessions", {
    method: "POST",
    body: { public_app_id: "app_demo", external_user_id: `models-${feature}`, feature_key: feature },
  });
  expect(minted.status).toBe(200);
  return stack.client(((await minted.json()) as { session_token: string }).session_token);
}

describe("GET /v1/models and /v1/models/{id}", () => {
  it("retrieves the same object the list shows, with the feature's output cap", async () => {
    const client = await clientFor("capped");
    const listed = (await client.models.list()).data;
    const item = listed.find((model) => model.id === "mock-small");
    expect(item).toMatchObject({ object: "model", owned_by: "mock", feature_max_output_tokens: 300 });
    const own = (item as unknown as { max_output_tokens: number }).max_output_tokens;
    expect(own).toBeGreaterThan(300);

    expect(await client.models.retrieve("mock-small")).toEqual(item);
    for (const model of listed) expect(await client.models.retrieve(model.id)).toEqual(model);
  });

  it("caps at the model's own limit when the feature allows more, and refuses max_tokens above the cap", async () => {
    const generous = (await (await clientFor("generous")).models.retrieve("mock-small")) as unknown as {
      max_output_tokens: number;
      feature_max_output_tokens: number;
    };
    expect(generous.feature_max_output_tokens).toBe(generous.max_output_tokens);

    const capped = await clientFor("capped");
    const messages = [{ role: "user" as const, content: "hi" }];
    const tooMany = capped.chat.completions.create({ model: "mock-small", messages, max_tokens: 301 });
    await expect(tooMany).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("answers 404 not_found for an unknown model, a model the session cannot be routed to, and odd ids", async () => {
    const client = await clientFor("capped");
    // gpt-4o is in the catalog, but this Gateway has no OpenAI credential and the feature allows the pool only.
    for (const id of ["no-such-model", "gpt-4o", "meta/llama-3", "a b", ""]) {
      const error = await client.models.retrieve(id).catch((caught: unknown) => caught);
      expect(error, id).toBeInstanceOf(OpenAI.NotFoundError);
      const notFound = error as InstanceType<typeof OpenAI.NotFoundError>;
      expect(notFound.code).toBe("not_found");
      expect((notFound.error as { request_id?: string }).request_id).toBe(notFound.requestID);
    }
  });

  it("needs a session", async () => {
    const response = await fetch(`${stack.gatewayUrl}/v1/models/mock-small`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_session");
  });
});
