// @vitest-environment happy-dom
import type { ProviderKey, RouteMode } from "@modelfaucet/sdk";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeFaucet } from "../testing/fake-faucet.js";
import { renderWithFaucet } from "../testing/render-with-faucet.js";
import { RouteModePicker } from "./route-mode-picker.js";

afterEach(cleanup);

const option = (mode: string) => document.querySelector<HTMLElement>(`[data-mode="${mode}"]`)!;
const radio = (mode: string) => option(mode).querySelector("input")!;

const STORED_KEY: ProviderKey = {
  id: "pk_1",
  provider: "openai",
  base_url: null,
  models_allowed: null,
  budget_limit_usd: null,
  priority: 0,
  fallback_to_platform: true,
  masked: "sk-...abcd",
  created_at: "2026-12-06T00:00:00.000Z",
  revoked_at: null,
};

function renderPicker(availableModes: RouteMode[], usd?: string) {
  const onChange = vi.fn();
  const rendered = renderWithFaucet(
    <RouteModePicker availableModes={availableModes} value="auto" onChange={onChange} className="routes" />,
    createFakeFaucet(usd),
  );
  return { ...rendered, onChange };
}

describe("RouteModePicker", () => {
  it("offers auto and the session's modes, and reports the choice", async () => {
    const { onChange, container } = renderPicker(["platform", "developer_key"]);
    expect(container.querySelector("fieldset")!.className).toBe("routes");
    expect(screen.getAllByRole("radio").map((input) => (input as HTMLInputElement).value)).toEqual([
      "auto",
      "platform",
      "developer_key",
    ]);
    expect(radio("auto").checked).toBe(true);
    await waitFor(() => expect(option("platform").dataset.state).toBe("available"));
    fireEvent.click(screen.getByLabelText("Platform credits"));
    expect(onChange).toHaveBeenCalledWith("platform");
  });

  it("says why a mode cannot serve: no key added, empty wallet, no Local Bridge", async () => {
    renderPicker(["platform", "byok", "local"], "0.00000000");
    await waitFor(() => expect(option("byok").dataset.state).toBe("unavailable"));
    await waitFor(() => expect(option("platform").dataset.state).toBe("unavailable"));
    await waitFor(() => expect(option("local").dataset.state).toBe("unavailable"));
    expect(option("byok").textContent).toContain("no key added");
    expect(option("platform").textContent).toContain("your wallet is empty");
    expect(option("local").textContent).toContain("Local Bridge not running");
    for (const mode of ["byok", "platform", "local"]) {
      expect(radio(mode).disabled).toBe(true);
      expect(document.getElementById(radio(mode).getAttribute("aria-describedby")!)).not.toBeNull();
    }
    expect(option("auto").dataset.state).toBe("available");
  });

  it("offers your own key once one is stored, and the local model once the bridge serves one", async () => {
    const fake = createFakeFaucet();
    fake.keys.push(STORED_KEY);
    fake.local = { status: "available", models: [{ id: "llama3" }] };
    renderWithFaucet(<RouteModePicker availableModes={["byok", "local"]} value="byok" onChange={vi.fn()} />, fake);
    await waitFor(() => expect(option("local").dataset.state).toBe("available"));
    expect(option("byok").dataset.state).toBe("available");
    expect(radio("byok").checked).toBe(true);
    expect(option("byok").textContent).toBe("Your own key");
  });
});
