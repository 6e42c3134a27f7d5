// @vitest-environment happy-dom
import { InsufficientBalanceError, RateLimitError } from "@modelfaucet/sdk";
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useChat } from "../chat/use-chat.js";
import { createFakeFaucet } from "../testing/fake-faucet.js";
import { renderWithFaucet } from "../testing/render-with-faucet.js";
import { InsufficientBalanceNotice } from "./insufficient-balance-notice.js";

afterEach(cleanup);

function Chat() {
  const { send } = useChat({ feature: "chat" });
  return (
    <button type="button" onClick={() => void send("Hello")}>
      Send
    </button>
  );
}

function renderNotice() {
  const onCheckout = vi.fn();
  const fake = createFakeFaucet("0.00000000");
  renderWithFaucet(
    <>
      <Chat />
      <InsufficientBalanceNotice className="notice" topUpAmountUsd="5.00" onCheckout={onCheckout} />
    </>,
    fake,
  );
  const send = () => act(async () => void fireEvent.click(screen.getByRole("button", { name: "Send" })));
  return { fake, onCheckout, send };
}

const refusal = () =>
  new InsufficientBalanceError({
    code: "insufficient_balance",
    message: "Not enough credit.",
    status: 402,
    details: { needed_usd: "0.00030720", available_usd: "0.00000000" },
  });

describe("InsufficientBalanceNotice", () => {
  it("appears when a chat is refused for an empty wallet, with the amounts and a top-up", async () => {
    const { fake, onCheckout, send } = renderNotice();
    expect(screen.queryByRole("alert")).toBeNull();
    await send();
    await act(() => fake.streams[0]!.fail(refusal()));
    const notice = screen.getByRole("alert");
    expect(notice.dataset.state).toBe("shown");
    expect(notice.className).toBe("notice");
    expect(notice.textContent).toContain("this request needs $0.0003072 and your wallet has $0.00 available");

    await act(async () => void fireEvent.click(screen.getByRole("button", { name: "Top up $5.00" })));
    await waitFor(() => expect(onCheckout).toHaveBeenCalledWith("https://checkout.stripe.test/c/pay_fake"));
    expect(fake.topUps[0]!.amountUsd).toBe("5.00");
  });

  it("goes away when the next chat starts, and ignores other errors", async () => {
    const { fake, send } = renderNotice();
    await send();
    await act(() => fake.streams[0]!.fail(refusal()));
    await send();
    expect(screen.queryByRole("alert")).toBeNull();
    await act(() =>
      fake.streams[1]!.fail(new RateLimitError({ code: "rate_limited", message: "Slow down.", status: 429 })),
    );
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
