import {
  FaucetError,
  type ChatStream,
  type ChatStreamResult,
  type RouteChoice,
  type StreamInterruptedError,
} from "@modelfaucet/sdk";
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type SetStateAction } from "react";
import { asError } from "../provider/faucet-state.js";
import { useFaucetContext } from "../provider/faucet-provider.js";
import type { ChatMessage, ChatStatus } from "./chat-message.js";

export interface UseChatOptions {
  /** The feature the requests bill under; without `model`, its default model (`auto:<feature>`). */
  feature?: string | undefined;
  /** A catalog model id; without `feature`, the session's feature (or the app's only one). */
  model?: string | undefined;
  /** `"auto"` or one mode of the session's `availableModes` (`x-modelfaucet-route`). */
  route?: RouteChoice | undefined;
  /** An answer settled (stopped ones too, with `finish_reason: "aborted"`): it carries usage and price. */
  onFinish?: ((message: ChatMessage) => void) | undefined;
  onError?: ((error: Error) => void) | undefined;
}

export interface UseChat {
  messages: ChatMessage[];
  status: ChatStatus;
  /** The last request's error (a FaucetError from the SDK), null once a request starts. */
  error: Error | null;
  /** Adds a user turn and streams the answer; resolves when it settled. Blank text is ignored. */
  send(text: string): Promise<void>;
  /** Aborts the answer: what arrived stays, and is what the user is billed for. */
  stop(): void;
  /** Drops the turns after the last user turn and asks again. */
  regenerate(): Promise<void>;
  setMessages(messages: SetStateAction<ChatMessage[]>): void;
}

/** One request on its way: the messages it writes to and whether it still owns `status`. */
interface Run {
  stream: ChatStream;
  answerId: string | undefined;
}

/**
 * A conversation streamed through `client.chat.stream`. Each answer is
 * appended token by token; once it settles it carries its usage, price,
 * route and request id (for UsageFooter), and the wallet is updated.
 * Sending while an answer streams stops that answer first.
 */
export function useChat(options: UseChatOptions = {}): UseChat {
  const context = useFaucetContext();
  const [messages, setMessagesState] = useState<ChatMessage[]>([]);
  const [status, setStatus] = useState<ChatStatus>("ready");
  const [error, setError] = useState<Error | null>(null);
  const current = useRef<ChatMessage[]>(messages);
  const active = useRef<Run | null>(null);
  const latestOptions = useRef(options);
  useLayoutEffect(() => {
    latestOptions.current = options;
  });
  const idPrefix = useId();
  const counter = useRef(0);
  const nextId = useCallback(() => `${idPrefix}${(counter.current += 1)}`, [idPrefix]);

  const setMessages = useCallback((change: SetStateAction<ChatMessage[]>) => {
    current.current = typeof change === "function" ? change(current.current) : change;
    setMessagesState(current.current);
  }, []);
  const patchMessage = useCallback(
    (id: string | undefined, patch: (message: ChatMessage) => Partial<ChatMessage>) => {
      if (id !== undefined) setMessages((all) => all.map((one) => (one.id === id ? { ...one, ...patch(one) } : one)));
    },
    [setMessages],
  );

  const stop = useCallback(() => {
    const run = active.current;
    if (!run) return;
    active.current = null;
    run.stream.abort();
    setStatus("ready");
  }, []);

  const run = useCallback(
    async (history: ChatMessage[]) => {
      const { feature, model, route, onFinish, onError } = latestOptions.current;
      context.chat.started();
      setError(null);
      const wanted = model ?? (feature === undefined ? undefined : `auto:${feature}`);
      if (wanted === undefined) {
        const missing = new TypeError("useChat needs a `feature` or a `model`.");
        setStatus("error");
        setError(missing);
        onError?.(missing);
        return;
      }
      const stream = context.client.chat.stream(
        {
          model: wanted,
          messages: history.map(({ role, content }) => ({ role, content })),
          ...(feature === undefined ? {} : { metadata: { feature_key: feature } }),
        },
        route === undefined ? undefined : { route },
      );
      const mine: Run = { stream, answerId: undefined };
      active.current = mine;
      setStatus("submitted");
      try {
        for await (const chunk of stream) {
          const delta = chunk.choices.find((choice) => choice.index === 0)?.delta?.content;
          const text = typeof delta === "string" ? delta : "";
          if (mine.answerId === undefined) {
            mine.answerId = nextId();
            const answer: ChatMessage = {
              id: mine.answerId,
              role: "assistant",
              content: text,
              request_id: stream.requestId,
            };
            setMessages((all) => [...all, answer]);
            if (active.current === mine) setStatus("streaming");
          } else if (text !== "") {
            patchMessage(mine.answerId, (answer) => ({ content: answer.content + text }));
          }
        }
        const result = await stream.final;
        patchMessage(mine.answerId, () => billing(result));
        context.wallet.settled(result);
        if (active.current === mine) {
          active.current = null;
          setStatus("ready");
        }
        const answer = current.current.find((message) => message.id === mine.answerId);
        if (answer) onFinish?.(answer);
      } catch (thrown) {
        const failure = asError(thrown);
        // A stream that broke after it began was billed; its error event may say for how much
        // (StreamInterruptedError; FaucetError.is, not instanceof: the app may bundle its own SDK).
        const billed = FaucetError.is(failure) ? (failure as Partial<StreamInterruptedError>).modelfaucet : undefined;
        if (billed) {
          patchMessage(mine.answerId, () => ({ price_usd: billed.price_usd, route_mode: billed.route_mode }));
        }
        // Nothing was billed before the answer began (a 402, 429, …); a broken stream was.
        if (mine.answerId !== undefined) void context.wallet.refresh();
        if (active.current === mine) {
          active.current = null;
          setStatus("error");
          setError(failure);
          context.chat.failed(failure);
        }
        onError?.(failure);
      }
    },
    [context, nextId, patchMessage, setMessages],
  );

  const send = useCallback(
    (text: string) => {
      if (text.trim() === "") return Promise.resolve();
      stop();
      const history = [...current.current, { id: nextId(), role: "user" as const, content: text }];
      setMessages(history);
      return run(history);
    },
    [nextId, run, setMessages, stop],
  );

  const regenerate = useCallback(() => {
    stop();
    const lastUser = current.current.findLastIndex((message) => message.role === "user");
    if (lastUser < 0) return Promise.resolve();
    const history = current.current.slice(0, lastUser + 1);
    setMessages(history);
    return run(history);
  }, [run, setMessages, stop]);

  // A component that leaves stops its answer (what arrived is still billed).
  useEffect(() => stop, [stop]);

  return { messages, status, error, send, stop, regenerate, setMessages };
}

/** What an answer's message keeps of its stream's result. */
function billing(result: ChatStreamResult): Partial<ChatMessage> {
  return {
    request_id: result.request_id,
    usage: result.usage,
    price_usd: result.price_usd,
    route_mode: result.route_mode,
    finish_reason: result.finish_reason,
  };
}
