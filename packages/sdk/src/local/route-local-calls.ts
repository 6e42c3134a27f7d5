import { newRequestId } from "../http/request-id.js";
import type { Transport } from "../http/transport.js";
import type { ModelfaucetBlock } from "../wire-types.js";
import type { LocalRoute } from "./local-route.js";

/** The Gateway transport with local calls sent to the bridge, and the blocks of local streams by request id. */
export interface RoutedTransport extends Transport {
  /** The `modelfaucet` block of a local stream, once (the bridge's chunks carry none); undefined for a Gateway call. */
  takeLocalBlock(requestId: string): ModelfaucetBlock | undefined;
}

/**
 * Sends each call where its route says: the bridge for a local call (see
 * LocalRoute.takes), the Gateway otherwise. A local answer gets what the
 * Gateway's carries: the `modelfaucet` block, and `usage.cost` beside the
 * tokens the local server counted. A local stream's block is kept for its
 * reader to add to the result.
 */
export function routeLocalCalls(transport: Transport, local: LocalRoute): RoutedTransport {
  const streamBlocks = new Map<string, ModelfaucetBlock>();
  const routed: RoutedTransport = {
    async send(spec) {
      const requestId = spec.requestId ?? newRequestId();
      if (!(await local.takes(spec))) return transport.send({ ...spec, requestId });
      const { response, block } = await local.send({ ...spec, requestId });
      if ((spec.body as { stream?: unknown }).stream !== true) return withBlock(response, block);
      streamBlocks.set(requestId, block);
      return response;
    },
    async json<T>(spec: Parameters<Transport["json"]>[0]) {
      return (await routed.send(spec)).json() as Promise<T>;
    },
    takeLocalBlock(requestId) {
      const block = streamBlocks.get(requestId);
      streamBlocks.delete(requestId);
      return block;
    },
  };
  return routed;
}

async function withBlock(response: Response, block: ModelfaucetBlock): Promise<Response> {
  const answer = (await response.json()) as { usage?: Record<string, unknown>; modelfaucet?: ModelfaucetBlock };
  if (answer.usage) answer.usage.cost = Number(block.price_usd);
  answer.modelfaucet = block;
  return new Response(JSON.stringify(answer), {
    status: response.status,
    headers: { "content-type": "application/json", "x-request-id": block.request_id },
  });
}
