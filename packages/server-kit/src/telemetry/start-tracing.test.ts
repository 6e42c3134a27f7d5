import { describe, expect, it } from "vitest";
import { testConfig } from "../testing/index.js";
import { otlpTracesUrl, startTracing } from "./start-tracing.js";

describe("the OTLP traces URL", () => {
  it("appends v1/traces to the signal-wide endpoint, with or without its trailing slash", () => {
    expect(otlpTracesUrl(testConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }))).toBe(
      "http://collector:4318/v1/traces",
    );
    expect(otlpTracesUrl(testConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://otlp.example.com/otlp/" }))).toBe(
      "https://otlp.example.com/otlp/v1/traces",
    );
  });

  it("takes the traces endpoint exactly as given, over the signal-wide one", () => {
    const config = testConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://traces:9999/custom",
    });
    expect(otlpTracesUrl(config)).toBe("http://traces:9999/custom");
  });

  it("is off, and tracing with it, when neither is set", () => {
    expect(otlpTracesUrl(testConfig())).toBeUndefined();
    expect(startTracing(testConfig(), { service: "@modelfaucet/gateway" })).toBeUndefined();
  });

  it("refuses an endpoint that is not an http(s) URL, naming the variable", () => {
    expect(() => testConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
