import { describe, expect, it } from "vitest";
import { newRequestId, resolveRequestId } from "./new-request-id.js";

describe("request ids", () => {
  it("makes req_ and 24 lowercase hex characters, different each time", () => {
    const ids = new Set(Array.from({ length: 100 }, newRequestId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{24}$/);
  });

  it("keeps a sane caller id and replaces one that is not", () => {
    expect(resolveRequestId("caller-id-1")).toBe("caller-id-1");
    for (const bad of [undefined, "", " ", "a\nb", "x".repeat(129), 42]) {
      expect(resolveRequestId(bad)).toMatch(/^req_[0-9a-f]{24}$/);
    }
  });
});
