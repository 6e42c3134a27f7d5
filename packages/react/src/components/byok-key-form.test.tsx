// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithFaucet } from "../testing/render-with-faucet.js";
import { ByokKeyForm } from "./byok-key-form.js";

afterEach(cleanup);

const RAW_KEY = "sk-proj-RAWsecretKEY0123456789abcdWXYZ";

function submit(form: HTMLElement, key: string) {
  const input = screen.getByLabelText<HTMLInputElement>("API key");
  fireEvent.change(input, { target: { value: key } });
  fireEvent.submit(form);
  return input;
}

describe("ByokKeyForm", () => {
  it("sends the key once, empties the password field and shows only the masked key", async () => {
    const onSaved = vi.fn();
    const { fake, container } = renderWithFaucet(<ByokKeyForm className="byok" onSaved={onSaved} />);
    const form = container.querySelector("form")!;
    expect(form.dataset.state).toBe("idle");
    expect(form.className).toBe("byok");
    const input = submit(form, RAW_KEY);
    expect(input.type).toBe("password");
    expect(input.value).toBe("");
    await waitFor(() => expect(form.dataset.state).toBe("saved"));

    expect(fake.keysSent).toEqual([RAW_KEY]);
    expect(screen.getByRole("status").textContent).toBe("Saved sk-...WXYZ");
    expect(screen.getByRole("list", { name: "Your stored keys" }).textContent).toContain("OpenAI sk-...WXYZ");
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ masked: "sk-...WXYZ" }));
    expect(document.documentElement.outerHTML).not.toContain(RAW_KEY);
  });

  it("sends the provider chosen and, for an OpenAI-compatible server, its base URL", async () => {
    const { fake, container } = renderWithFaucet(<ByokKeyForm providers={["groq", "openai_compatible"]} />);
    const form = container.querySelector("form")!;
    expect(screen.queryByLabelText("Base URL")).toBeNull();
    fireEvent.change(screen.getByLabelText("Provider"), { target: { value: "openai_compatible" } });
    fireEvent.change(screen.getByLabelText("Base URL"), { target: { value: "https://llm.example/v1" } });
    submit(form, "local-key-0123456789");
    await waitFor(() => expect(form.dataset.state).toBe("saved"));
    expect(fake.keys[0]).toMatchObject({ provider: "openai_compatible", base_url: "https://llm.example/v1" });
  });

  it("shows the server's refusal and keeps nothing of the key", async () => {
    const { fake, container } = renderWithFaucet(<ByokKeyForm />);
    fake.client.keys.add = () => Promise.reject(new Error("The openai key did not validate."));
    const form = container.querySelector("form")!;
    const input = submit(form, RAW_KEY);
    await waitFor(() => expect(form.dataset.state).toBe("error"));
    expect(screen.getByRole("alert").textContent).toBe("The openai key did not validate.");
    expect(input.value).toBe("");
    expect(document.documentElement.outerHTML).not.toContain(RAW_KEY);
  });

  it("lists stored keys and removes one", async () => {
    const { fake, container } = renderWithFaucet(<ByokKeyForm />);
    submit(container.querySelector("form")!, RAW_KEY);
    const remove = await screen.findByRole("button", { name: "Remove sk-...WXYZ" });
    await act(async () => void fireEvent.click(remove));
    await waitFor(() => expect(screen.queryByRole("list")).toBeNull());
    expect(fake.keys).toEqual([]);
  });
});
