import { describe, expect, it } from "vitest";
import { MAX_PROVIDER_WARNINGS, WarningCollector } from "./warning-collector.js";

describe("WarningCollector", () => {
  it("names settings and paths, and reports anything else a caller could have written as unknown", () => {
    const warnings = new WarningCollector();
    for (const setting of ["logit_bias", "tools[2].function.strict", "messages[].role=system", "$schema"]) {
      warnings.add("unsupported-setting", setting);
    }
    warnings.add("unsupported-setting", "Please summarise: my password is hunter2", "dropped");
    warnings.add("unsupported-content", `a${"b".repeat(200)}`);
    expect(warnings.warnings).toEqual([
      { type: "unsupported-setting", setting: "logit_bias" },
      { type: "unsupported-setting", setting: "tools[2].function.strict" },
      { type: "unsupported-setting", setting: "messages[].role=system" },
      { type: "unsupported-setting", setting: "$schema" },
      { type: "unsupported-setting", setting: "unknown", details: "dropped" },
      { type: "unsupported-content", setting: "unknown" },
    ]);
  });

  it("keeps each warning once and at most MAX_PROVIDER_WARNINGS", () => {
    const warnings = new WarningCollector();
    warnings.other("moved");
    warnings.other("moved");
    for (let i = 0; i < 100; i++) warnings.add("unsupported-setting", `setting_${i}`);
    expect(warnings.warnings).toHaveLength(MAX_PROVIDER_WARNINGS);
    expect(warnings.warnings.filter((warning) => warning.type === "other")).toHaveLength(1);
  });
});
