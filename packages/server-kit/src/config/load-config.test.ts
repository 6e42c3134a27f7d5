import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./load-config.js";

const KEY = "a".repeat(32) + "b".repeat(32);
const production = {
  NODE_ENV: "production",
  API_CORS_ORIGINS: "https://app.example.com",
  GATEWAY_CORS_ORIGINS: "https://app.example.com,https://admin.example.com",
  ADMIN_TOKEN: "Zq8fK2mP9xR4tW7yB1nC5vD3hJ6gL0sA",
  SECRET_ENCRYPTION_KEY: KEY,
};

function problem(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("has the contract's defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      HOST: "127.0.0.1",
      PORT_API: 3001,
      PORT_GATEWAY: 3002,
      API_RATE_LIMIT_MAX_REQUESTS: 1200,
      API_RATE_LIMIT_WINDOW_MS: 60000,
      GATEWAY_RATE_LIMIT_MAX_REQUESTS: 1200,
      GATEWAY_RATE_LIMIT_WINDOW_MS: 60000,
      TRUST_PROXY: false,
      MODELFAUCET_DATA_DIR: "./.modelfaucet",
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ PORT_API: "", DATABASE_URL: "" }).PORT_API).toBe(3001);
  });

  it.each([
    ["PORT_API", "abc"],
    ["PORT_GATEWAY", "70000"],
    ["API_RATE_LIMIT_MAX_REQUESTS", "-1"],
    ["GATEWAY_RATE_LIMIT_WINDOW_MS", "1500"],
    ["DATABASE_URL", "mysql://localhost/x"],
    ["REDIS_URL", "http://localhost"],
    ["LOG_LEVEL", "loud"],
    ["NODE_ENV", "staging"],
    ["API_CORS_ORIGINS", "not a url"],
    ["SECRET_ENCRYPTION_KEY", "short"],
  ])("names %s when its value %j is bad", (variable, value) => {
    const error = problem({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).not.toContain("\n");
  });

  it("never echoes the value of a secret variable", () => {
    const error = problem({ DATABASE_URL: "mysql://user:hunter2@db/x" });
    expect(error.message).not.toContain("hunter2");
  });

  it("parses TRUST_PROXY as a flag, a hop count or addresses", () => {
    expect(loadConfig({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "false" }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8,127.0.0.1" }).TRUST_PROXY).toBe("10.0.0.0/8,127.0.0.1");
  });

  describe("in production", () => {
    it("boots with explicit origins and real secrets", () => {
      expect(loadConfig(production).API_CORS_ORIGINS).toEqual(["https://app.example.com"]);
    });

    it.each([
      ["API_CORS_ORIGINS", undefined],
      ["GATEWAY_CORS_ORIGINS", undefined],
      ["API_CORS_ORIGINS", "*"],
      ["GATEWAY_CORS_ORIGINS", "https://a.example.com,*"],
      ["ADMIN_TOKEN", undefined],
      ["ADMIN_TOKEN", "change-me"],
      ["ADMIN_TOKEN", "short-but-random-91"],
      ["SECRET_ENCRYPTION_KEY", undefined],
      ["SECRET_ENCRYPTION_KEY", "0".repeat(64)],
    ])("refuses to boot when %s is %j", (variable, value) => {
      const env: Record<string, string> = { ...production };
      if (value === undefined) delete env[variable];
      else env[variable] = value;
      expect(problem(env).variable).toBe(variable);
    });
  });
});
