import type { Billing, Settled, UsageRecord } from "@modelfaucet/billing";
import type { ModelfaucetBlock } from "@modelfaucet/contract";
import type { AppError, TokenUsage } from "@modelfaucet/core";
import { recordRequest } from "@modelfaucet/server-kit";
import type { FastifyReply, FastifyRequest } from "fastify";
import { modelfaucetBlock } from "../chat/modelfaucet-block.js";
import { openEventStream } from "../chat/open-event-stream.js";
import { providerFailure } from "../chat/provider-failure.js";
import { buildUsageRecord, type BilledCall } from "../chat/usage-record.js";

/** An upstream stream that answered 2xx: iterated once; `cancel` closes it. */
export interface UpstreamStream<T> extends AsyncIterable<T> {
  cancel(): void;
}

/** What to bill for a stream once upstream is done, however it ended. */
export interface BilledUsage {
  usage: TokenUsage;
  usageSource: UsageRecord["usageSource"];
}

/** How a relayed stream ended, for its last events. */
export interface StreamEnd {
  /** Price, and the wallet after the settlement (`available_usd` null when settling failed). */
  modelfaucet: ModelfaucetBlock;
  /** The usage event as settled: its usage and charge. */
  record: UsageRecord;
  /** The upstream failure that cut the stream, as the client sees it; undefined when upstream ended normally. */
  failure: AppError | undefined;
}

/**
 * What differs between the streams the Gateway relays (chat chunks, native
 * Responses events, chat translated to Responses events): the wire format,
 * what is billed, and the events that end the stream.
 */
export interface StreamWriter<T> {
  /** Writes one upstream item as it comes, or holds it back to carry the block at the end. */
  write(item: T): void;
  billedUsage(): BilledUsage;
  /** Writes the stream's last events, the block on them. Not called once the client has gone. */
  end(end: StreamEnd): void;
}

export interface RelayStreamInput<T> {
  request: FastifyRequest;
  reply: FastifyReply;
  upstream: UpstreamStream<T>;
  /** The request as billed: its route, plan and hold. */
  call: BilledCall;
  billing: Billing;
  /** Builds the writer once the SSE body is open (it may write opening events at once); `write` sends SSE text. */
  writer: (write: (text: string) => void) => StreamWriter<T>;
}

/**
 * Relays a stream whose upstream answered 2xx, then settles it: takes the
 * response over (openEventStream), writes each upstream item through the
 * writer as it comes, and once upstream ends — normally, by failure, or
 * because the client left — settles the hold for what the writer says was
 * used, in one transaction. Only then are the last events written, carrying
 * the `modelfaucet` block, known only after the settlement; a failure midway
 * ends with the writer's error event, which carries the block too. When
 * settling fails, the hold stays and expires (the user is not charged), the
 * failure alerts through logs, and the block's `available_usd` is null.
 */
export async function relayStream<T>(input: RelayStreamInput<T>): Promise<void> {
  const { request, reply, upstream, call } = input;
  const client = openEventStream(request, reply, () => upstream.cancel());
  const raw = client.raw;
  const writer = input.writer((text) => raw.write(text));
  let failure: { error: unknown } | undefined;
  try {
    for await (const item of upstream) {
      if (client.clientGone) break;
      writer.write(item);
    }
  } catch (error) {
    failure = { error };
  }
  const outcome = client.clientGone ? "client_aborted" : failure ? "upstream_failed" : "completed";
  const { usage, usageSource } = writer.billedUsage();
  const record = buildUsageRecord(call, reply, usage, usageSource, outcome);
  let settled: Settled | undefined;
  try {
    settled = await input.billing.settle(call.hold, record);
  } catch (error) {
    request.log.error({ err: error }, "settling a streamed request failed; its hold will expire");
  }
  if (!client.clientGone) {
    writer.end({
      modelfaucet: modelfaucetBlock(request.id, call.featureKey, call.plan, record.charge.retail, settled),
      record,
      failure: failure && providerFailure(failure.error),
    });
    raw.end();
  }
  // Fastify's hooks no longer run for a hijacked reply: the stream's metrics are recorded here.
  recordRequest(request.server.metrics, request, 200, reply.elapsedTime);
}
