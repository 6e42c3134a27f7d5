import type { ChatContext, ChatProvider, ChatResult, ChatStream } from "../spec/chat-provider.js";
import type { ChatRequest } from "../spec/chat-wire.js";

/**
 * A ChatProvider that reaches its upstream through connection pools, plus
 * their lifecycle. `R` and `S` let an adapter resolve to the spec's types
 * extended (e.g. with `warnings`); a gateway holding a plain ChatProvider
 * simply does not see the extension.
 */
export interface PooledChatProvider<
  R extends ChatResult = ChatResult,
  S extends ChatStream = ChatStream,
> extends ChatProvider {
  chat(request: ChatRequest, ctx: ChatContext): Promise<R>;
  chatStream(request: ChatRequest, ctx: ChatContext): Promise<S>;
  /** Closes the provider's private pools (shared pools are left to their owner). */
  close(): Promise<void>;
}

/** What an adapter implements: the two calls, without the provider's identity or lifecycle. */
export type ChatAdapter<R extends ChatResult, S extends ChatStream> = Pick<
  PooledChatProvider<R, S>,
  "chat" | "chatStream"
>;

/** The provider object for `adapter`, named `id`, whose `close` is `close`. */
export function pooledChatProvider<R extends ChatResult, S extends ChatStream>(
  id: string,
  adapter: ChatAdapter<R, S>,
  close: () => Promise<void>,
): PooledChatProvider<R, S> {
  return {
    specificationVersion: "v1",
    id,
    chat: (request, ctx) => adapter.chat(request, ctx),
    chatStream: (request, ctx) => adapter.chatStream(request, ctx),
    close,
  };
}
