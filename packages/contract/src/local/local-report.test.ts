import { describe, expect, it } from "vitest";
import { localTicketSchema, localUsageReportBody } from "./local-report.js";

const REPORT = {
  request_id: "req_0123456789abcdef01234567",
  model: "ollama/qwen2.5:7b",
  input_tokens: 120,
  output_tokens: 48,
  usage_source: "upstream",
};

describe("local usage report", () => {
  it("accepts exactly the five fields", () => {
    expect(localUsageReportBody.parse(REPORT)).toEqual(REPORT);
  });

  it("refuses a report carrying any text field", () => {
    for (const field of ["prompt", "messages", "content", "output", "text", "completion"]) {
      const result = localUsageReportBody.safeParse({ ...REPORT, [field]: "Dear Ms Smith, your refund…" });
      expect(result.success, field).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: [field] });
    }
  });

  it("refuses bad counts, sources, ids and models", () => {
    const bad = [
      { input_tokens: -1 },
      { output_tokens: 1.5 },
      { output_tokens: 10_000_001 },
      { usage_source: "guessed" },
      { request_id: "" },
      { request_id: "x".repeat(129) },
      { request_id: "line\nbreak" },
      { model: "has space" },
      { model: "" },
    ];
    for (const change of bad) expect(localUsageReportBody.safeParse({ ...REPORT, ...change }).success).toBe(false);
    const { usage_source: _source, ...missing } = REPORT;
    expect(localUsageReportBody.safeParse(missing).success).toBe(false);
  });

  it("describes a ticket as CONTRACT.md does", () => {
    const ticket = {
      ticket: "mf_lt_abc",
      expires_at: "2026-12-06T10:00:00.000Z",
      local_fee_usd: "0.01000000",
      feature_key: "customer_reply",
      available_usd: "0.99000000",
    };
    expect(localTicketSchema.parse(ticket)).toEqual(ticket);
    expect(localTicketSchema.safeParse({ ...ticket, ticket: "has space" }).success).toBe(false);
  });
});
