// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithFaucet } from "../testing/render-with-faucet.js";
import { TopUpButton } from "./top-up-button.js";

afterEach(cleanup);

describe("TopUpButton", () => {
  it("starts Checkout for its amount and hands over the URL", async () => {
    const onCheckout = vi.fn();
    const { fake } = renderWithFaucet(<TopUpButton amountUsd="20.00" className="top-up" onCheckout={onCheckout} />);
    const button = screen.getByRole("button", { name: "Top up $20.00" });
    expect([button.dataset.state, button.className]).toEqual(["idle", "top-up"]);
    await act(async () => void fireEvent.click(button));
    expect(onCheckout).toHaveBeenCalledWith("https://checkout.stripe.test/c/pay_fake");
    expect(fake.topUps).toHaveLength(1);
    expect(button.dataset.state).toBe("idle");
  });

  it("says why Checkout could not start", async () => {
    const { fake } = renderWithFaucet(<TopUpButton onCheckout={vi.fn()}>Add credit</TopUpButton>);
    fake.client.wallet.topUp = () => Promise.reject(new Error("Stripe is not configured."));
    const button = screen.getByRole("button", { name: "Add credit" });
    await act(async () => void fireEvent.click(button));
    expect(button.dataset.state).toBe("error");
    expect(screen.getByRole("alert").textContent).toBe("Top-up failed: Stripe is not configured.");
  });
});
