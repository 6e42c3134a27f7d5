import { describe, expect, it } from "vitest";
import { captureLogger } from "./testing/index.js";

describe("logger redaction", () => {
  it("replaces credentials at any of the usual depths", () => {
    const { logger, lines } = captureLogger("info");
    logger.info(
      {
        authorization: "Bearer top-level-secret",
        req: {
          headers: { authorization: "Bearer header-secret", cookie: "sid=cookie-secret", "x-api-key": "xk-secret" },
        },
        body: { api_key: "sk-body-secret", nested: { apiKey: "sk-nested-secret" } },
        provider: { password: "pw-secret", token: "tok-secret", secret: "plain-secret" },
      },
      "hello",
    );
    logger.flush();
    const text = lines.join("\n");
    expect(text).toContain("hello");
    for (const leaked of [
      "top-level",
      "header-secret",
      "cookie-secret",
      "xk-secret",
      "sk-body",
      "sk-nested",
      "pw-secret",
      "tok-secret",
      "plain-secret",
    ]) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain("[redacted]");
  });
});
