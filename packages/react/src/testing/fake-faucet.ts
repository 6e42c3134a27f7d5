// A stand-in for `createFaucet`'s client in the hooks' and components' tests:
// each chat stream is driven by the test (tokens, the end, an error), and the
// wallet and keys live in memory. Only what the React package calls is real;
// every other method throws, so a test notices a call it did not expect.
import type {
  AddKeyParams,
  CallOptions,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatStream,
  ChatStreamResult,
  ChatUsage,
  Faucet,
  LocalBridgeStatus,
  ProviderKey,
  RouteMode,
  Wallet,
} from "@modelfaucet/sdk";

/** What the Gateway would bill, as its final `modelfaucet` block says. */
export interface FakeBill {
  usage: ChatUsage;
  price_usd: string;
  route_mode?: RouteMode;
  /** The wallet's available balance after settlement; null as after an abort. */
  available_usd: string | null;
}

/** One chat stream the hook opened, driven by the test. */
export interface FakeStream {
  body: ChatCompletionRequest;
  options: CallOptions | undefined;
  requestId: string;
  aborted: boolean;
  /** Delivers one content chunk (the first call also sends the role chunk). */
  push(text: string): Promise<void>;
  /** Sends the usage chunk with its block and `[DONE]`. */
  finish(bill: FakeBill): Promise<void>;
  /** Ends the stream with `error` (a FaucetError, as the SDK throws). */
  fail(error: Error): Promise<void>;
  /** What `final` resolves with after `abort()` (default: the text so far, unbilled). */
  billOnAbort: FakeBill | undefined;
}

export interface FakeFaucet {
  client: Faucet;
  streams: FakeStream[];
  wallet: Wallet;
  /** Calls of `wallet.get`, in order. */
  walletReads: number;
  keys: ProviderKey[];
  /** The raw keys `keys.add` was given (the only place a test may see them). */
  keysSent: string[];
  topUps: Array<{ amountUsd: string; successUrl: string; cancelUrl: string }>;
  local: LocalBridgeStatus;
}

/** Lets the hook's `for await` see what was just pushed before the test goes on. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function chunk(fields: Partial<ChatCompletionChunk>): ChatCompletionChunk {
  return { object: "chat.completion.chunk", id: "chatcmpl-fake", model: "mock-small", choices: [], ...fields };
}

function fakeStream(body: ChatCompletionRequest, options: CallOptions | undefined, index: number) {
  const queue: ChatCompletionChunk[] = [];
  let ended: { error?: Error } | undefined;
  let wake: (() => void) | undefined;
  let content = "";
  let resolveFinal!: (result: ChatStreamResult) => void;
  let rejectFinal!: (error: Error) => void;
  const final = new Promise<ChatStreamResult>((resolve, reject) => {
    resolveFinal = resolve;
    rejectFinal = reject;
  });
  final.catch(() => undefined);
  const emit = (item: ChatCompletionChunk) => {
    queue.push(item);
    wake?.();
  };
  const end = (outcome: { error?: Error }) => {
    ended = outcome;
    wake?.();
  };
  const result = (fields: Partial<ChatStreamResult>): ChatStreamResult => ({
    request_id: control.requestId,
    id: "chatcmpl-fake",
    model: "mock-small",
    content,
    finish_reason: "stop",
    usage: null,
    price_usd: null,
    route_mode: null,
    available_usd: null,
    modelfaucet: null,
    ...fields,
  });

  const control: FakeStream = {
    body,
    options,
    requestId: `req_fake${index}`,
    aborted: false,
    billOnAbort: undefined,
    async push(text) {
      if (content === "" && queue.length === 0) emit(chunk({ choices: [{ index: 0, delta: { role: "assistant" } }] }));
      content += text;
      emit(chunk({ choices: [{ index: 0, delta: { content: text } }] }));
      await settle();
    },
    async finish({ usage, price_usd, route_mode = "platform", available_usd }) {
      const block = {
        request_id: control.requestId,
        route_mode,
        feature_key: "chat",
        provider: "mock",
        model: "mock-small",
        price_usd,
        available_usd,
      };
      emit(chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }));
      emit(chunk({ usage, modelfaucet: block }));
      end({});
      resolveFinal(result({ usage, price_usd, route_mode, available_usd, modelfaucet: block }));
      await settle();
    },
    async fail(error) {
      end({ error });
      rejectFinal(error);
      await settle();
    },
  };

  const stream: ChatStream = {
    requestId: control.requestId,
    final,
    abort() {
      if (ended) return;
      control.aborted = true;
      end({});
      const bill = control.billOnAbort;
      resolveFinal(
        result({
          finish_reason: "aborted",
          usage: bill?.usage ?? null,
          price_usd: bill?.price_usd ?? null,
          route_mode: bill?.route_mode ?? (bill ? "platform" : null),
        }),
      );
    },
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
        for (;;) {
          if (queue.length > 0) return { value: queue.shift()!, done: false };
          if (ended) {
            const { error } = ended;
            ended = {};
            if (error) throw error;
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
      async return(): Promise<IteratorResult<ChatCompletionChunk, undefined>> {
        stream.abort();
        return { value: undefined, done: true };
      },
    }),
  };
  return { control, stream };
}

const unexpected = (name: string) => () => {
  throw new Error(`the fake client has no ${name}`);
};

/** A fake client with `usd` in the wallet and no stored key. */
export function createFakeFaucet(usd = "1.00000000"): FakeFaucet {
  const fake: FakeFaucet = {
    streams: [],
    wallet: { wallet_id: "wal_fake", balance_usd: usd, held_usd: "0.00000000", available_usd: usd, recent: [] },
    walletReads: 0,
    keys: [],
    keysSent: [],
    topUps: [],
    local: { status: "unavailable", models: [] },
    client: {
      chat: {
        create: unexpected("chat.create"),
        stream(body, options) {
          const { control, stream } = fakeStream(body, options, fake.streams.length + 1);
          fake.streams.push(control);
          return stream;
        },
      },
      embeddings: { create: unexpected("embeddings.create") },
      responses: { create: unexpected("responses.create"), stream: unexpected("responses.stream") },
      models: { list: unexpected("models.list") },
      wallet: {
        async get() {
          fake.walletReads += 1;
          return structuredClone(fake.wallet);
        },
        history: unexpected("wallet.history"),
        async topUp(params) {
          fake.topUps.push(params);
          return { url: "https://checkout.stripe.test/c/pay_fake", topUpId: "top_fake" };
        },
      },
      keys: {
        list: async () => structuredClone(fake.keys),
        async add({ provider, apiKey, baseUrl }: AddKeyParams) {
          fake.keysSent.push(apiKey);
          const key: ProviderKey = {
            id: `pk_fake${fake.keys.length + 1}`,
            provider,
            base_url: baseUrl ?? null,
            models_allowed: null,
            budget_limit_usd: null,
            priority: 0,
            fallback_to_platform: true,
            masked: `${apiKey.slice(0, 3)}...${apiKey.slice(-4)}`,
            created_at: "2026-12-06T00:00:00.000Z",
            revoked_at: null,
          };
          fake.keys.push(key);
          return structuredClone(key);
        },
        async remove(id) {
          fake.keys = fake.keys.filter((key) => key.id !== id);
        },
      },
      local: { detect: async () => structuredClone(fake.local) },
      openAIOptions: unexpected("openAIOptions"),
    },
  };
  return fake;
}
