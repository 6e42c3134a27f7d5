import { errorEnvelope } from "@modelfaucet/core";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, errorEnvelopeSchema } from "./errors.js";

describe("errorEnvelopeSchema", () => {
  it("accepts the envelope the servers build for every code, with its details", () => {
    for (const code of ERROR_CODES) {
      const envelope = errorEnvelope(code, "Something failed.", "req_1", { param: "amount_usd" });
      expect(errorEnvelopeSchema.parse(envelope)).toEqual(envelope);
    }
    const shortfall = errorEnvelope("insufficient_balance", "Top up.", "req_2", {
      details: { needed_usd: "0.00120000", available_usd: "0.00000000" },
    });
    expect(errorEnvelopeSchema.parse(shortfall).error).toMatchObject({
      type: "insufficient_quota",
      param: null,
      needed_usd: "0.00120000",
    });
  });

  it("refuses an envelope without the standard fields or with an unknown code", () => {
    expect(errorEnvelopeSchema.safeParse({ error: { code: "oops", message: "x", request_id: "r" } }).success).toBe(
      false,
    );
    expect(errorEnvelopeSchema.safeParse({ error: { code: "forbidden", message: "x" } }).success).toBe(false);
  });
});
