// @vitest-environment happy-dom
import { FaucetError, InsufficientBalanceError } from "@modelfaucet/sdk";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FaucetProvider } from "../provider/faucet-provider.js";
import { createFakeFaucet, type FakeBill } from "../testing/fake-faucet.js";
import { useWallet } from "../wallet/use-wallet.js";
import { useChat, type UseChatOptions } from "./use-chat.js";

afterEach(cleanup);

const BILL: FakeBill = {
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, cost: 0.00001234 },
  price_usd: "0.00001234",
  available_usd: "0.99998766",
};

function renderChat(options: UseChatOptions = { feature: "chat" }) {
  const fake = createFakeFaucet();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <FaucetProvider client={fake.client}>{children}</FaucetProvider>
  );
  const hook = renderHook((props: UseChatOptions) => useChat(props), { wrapper, initialProps: options });
  return { fake, hook, chat: () => hook.result.current };
}

describe("useChat", () => {
  it("streams an answer token by token, then keeps its usage, price and route", async () => {
    const onFinish = vi.fn();
    const { fake, chat } = renderChat({ feature: "chat", onFinish });
    let sent!: Promise<void>;
    act(() => void (sent = chat().send("Hello")));
    expect(chat().status).toBe("submitted");
    expect(chat().messages.map(({ role, content }) => [role, content])).toEqual([["user", "Hello"]]);
    const [stream] = fake.streams;
    expect(stream!.body).toMatchObject({
      model: "auto:chat",
      metadata: { feature_key: "chat" },
      messages: [{ role: "user", content: "Hello" }],
    });

    await act(() => stream!.push("Hi"));
    expect(chat().status).toBe("streaming");
    expect(chat().messages[1]).toMatchObject({ role: "assistant", content: "Hi", request_id: stream!.requestId });
    expect(chat().messages[1]!.usage).toBeUndefined();
    await act(() => stream!.push(" there"));
    expect(chat().messages[1]!.content).toBe("Hi there");

    await act(async () => {
      await stream!.finish(BILL);
      await sent;
    });
    expect(chat().status).toBe("ready");
    expect(chat().messages[1]).toMatchObject({
      content: "Hi there",
      usage: BILL.usage,
      price_usd: "0.00001234",
      route_mode: "platform",
      finish_reason: "stop",
    });
    expect(onFinish).toHaveBeenCalledExactlyOnceWith(chat().messages[1]);
  });

  it("stop() aborts the request and keeps the partial answer, with what it was billed", async () => {
    const onFinish = vi.fn();
    const { fake, chat } = renderChat({ feature: "chat", onFinish });
    let sent!: Promise<void>;
    act(() => void (sent = chat().send("Tell me a story")));
    const [stream] = fake.streams;
    stream!.billOnAbort = {
      usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10, cost: 0.00000411 },
      price_usd: "0.00000411",
      available_usd: null,
    };
    await act(() => stream!.push("Once"));
    act(() => chat().stop());
    expect(stream!.aborted).toBe(true);
    expect(chat().status).toBe("ready");
    await act(() => sent);
    expect(chat().messages[1]).toMatchObject({
      content: "Once",
      finish_reason: "aborted",
      usage: { completion_tokens: 1 },
      price_usd: "0.00000411",
    });
    expect(onFinish).toHaveBeenCalledOnce();
    expect(chat().error).toBeNull();
  });

  it("sends the chosen model and route, and the whole conversation", async () => {
    const { fake, chat } = renderChat({ model: "mock-large", route: "byok" });
    act(() => void chat().send("One"));
    await act(async () => {
      await fake.streams[0]!.push("1");
      await fake.streams[0]!.finish(BILL);
    });
    act(() => void chat().send("Two"));
    expect(fake.streams[1]!.body).toEqual({
      model: "mock-large",
      messages: [
        { role: "user", content: "One" },
        { role: "assistant", content: "1" },
        { role: "user", content: "Two" },
      ],
    });
    expect(fake.streams[1]!.options).toEqual({ route: "byok" });
  });

  it("reports a refused request in status, error and onError, and clears it on the next send", async () => {
    const onError = vi.fn();
    const { fake, chat } = renderChat({ feature: "chat", onError });
    const refusal = new InsufficientBalanceError({ code: "insufficient_balance", message: "No credit.", status: 402 });
    act(() => void chat().send("Hello"));
    await act(() => fake.streams[0]!.fail(refusal));
    expect(chat().status).toBe("error");
    expect(chat().error).toBe(refusal);
    expect(onError).toHaveBeenCalledExactlyOnceWith(refusal);
    expect(chat().messages).toHaveLength(1);

    act(() => void chat().send("Again"));
    expect(chat().status).toBe("submitted");
    expect(chat().error).toBeNull();
  });

  it("keeps what arrived of a stream that broke midway", async () => {
    const { fake, chat } = renderChat();
    act(() => void chat().send("Hello"));
    await act(() => fake.streams[0]!.push("Half an"));
    const cut = new FaucetError({ code: "stream_interrupted", message: "cut", status: 200 });
    await act(() => fake.streams[0]!.fail(cut));
    expect(chat().status).toBe("error");
    expect(chat().messages[1]!.content).toBe("Half an");
  });

  it("sending while an answer streams stops that answer first", async () => {
    const { fake, chat } = renderChat();
    act(() => void chat().send("First"));
    await act(() => fake.streams[0]!.push("Par"));
    act(() => void chat().send("Second"));
    expect(fake.streams[0]!.aborted).toBe(true);
    expect(chat().messages.map(({ content }) => content)).toEqual(["First", "Par", "Second"]);
    expect(chat().status).toBe("submitted");
  });

  it("regenerate() drops the turns after the last user turn and asks again", async () => {
    const { fake, chat } = renderChat();
    act(() => void chat().send("Hello"));
    await act(async () => {
      await fake.streams[0]!.push("Hi");
      await fake.streams[0]!.finish(BILL);
    });
    act(() => void chat().regenerate());
    expect(chat().messages.map(({ content }) => content)).toEqual(["Hello"]);
    expect(fake.streams[1]!.body.messages).toEqual([{ role: "user", content: "Hello" }]);
  });

  it("ignores blank text, and setMessages replaces the conversation", async () => {
    const { fake, chat } = renderChat();
    await act(() => chat().send("   "));
    expect(fake.streams).toHaveLength(0);
    act(() => chat().setMessages([{ id: "m1", role: "system", content: "Be brief." }]));
    act(() => void chat().send("Hi"));
    expect(fake.streams[0]!.body.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ]);
  });

  it("without a feature or a model, fails at once and sends nothing", async () => {
    const { fake, chat } = renderChat({});
    await act(() => chat().send("Hi"));
    expect(chat().status).toBe("error");
    expect(chat().error?.message).toMatch(/feature.*model/);
    expect(fake.streams).toHaveLength(0);
  });

  it("stops its answer when the component unmounts", async () => {
    const { fake, chat, hook } = renderChat();
    act(() => void chat().send("Hello"));
    await act(() => fake.streams[0]!.push("Hi"));
    hook.unmount();
    expect(fake.streams[0]!.aborted).toBe(true);
  });

  it("moves the wallet by the answer's block, then reads it again", async () => {
    const fake = createFakeFaucet("1.00000000");
    const wrapper = ({ children }: { children: ReactNode }) => (
      <FaucetProvider client={fake.client}>{children}</FaucetProvider>
    );
    const hook = renderHook(() => ({ chat: useChat({ feature: "chat" }), wallet: useWallet() }), { wrapper });
    await waitFor(() => expect(hook.result.current.wallet.availableUsd).toBe("1.00000000"));
    expect(fake.walletReads).toBe(1);

    act(() => void hook.result.current.chat.send("Hello"));
    await act(() => fake.streams[0]!.push("Hi"));
    fake.wallet = { ...fake.wallet, balance_usd: "0.99998766", available_usd: "0.99998766" };
    await act(() => fake.streams[0]!.finish(BILL));
    expect(hook.result.current.wallet).toMatchObject({ availableUsd: "0.99998766", balanceUsd: "0.99998766" });
    await waitFor(() => expect(fake.walletReads).toBe(2));
    expect(hook.result.current.wallet.status).toBe("ready");
  });
});
