// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeFaucet } from "../testing/fake-faucet.js";
import { renderWithFaucet } from "../testing/render-with-faucet.js";
import { WalletBadge } from "./wallet-badge.js";

afterEach(cleanup);

describe("WalletBadge", () => {
  it("shows what the user can spend, exactly, once read", async () => {
    renderWithFaucet(<WalletBadge className="badge" />, createFakeFaucet("1.23456789"));
    const badge = screen.getByRole("status");
    expect(badge.dataset.state).toBe("loading");
    await waitFor(() => expect(badge.dataset.state).toBe("ready"));
    expect(badge.textContent).toBe("Wallet: $1.23456789");
    expect(badge.className).toBe("badge");
  });
});
