import { errorFromResponse } from "../errors/error-from-response.js";
import { LocalBridgeUnavailableError } from "../errors/faucet-error.js";
import type { RequestSpec, RouteChoice, Transport } from "../http/transport.js";
import type { SessionKeeper } from "../session/session-keeper.js";
import type { LocalTicket, ModelfaucetBlock } from "../wire-types.js";

/** The Gateway paths the bridge also serves (its paths are these under `/v1`). */
const BRIDGE_PATHS = new Set(["/chat/completions", "/embeddings"]);
/** How long the bridge's `/health` may take before the call counts it down, ms: it is on this machine. */
const HEALTH_TIMEOUT_MS = 1000;
/** A spare ticket is used again only with at least this much of its life left, ms. */
const TICKET_MARGIN_MS = 30_000;

/** A call the bridge answered: its answer (body unread) and the `modelfaucet` block it was billed under. */
export interface LocalAnswer {
  response: Response;
  block: ModelfaucetBlock;
}

export interface LocalRoute {
  /**
   * Whether a Gateway call goes to the Local Bridge instead: route `local`
   * for a path the bridge serves, or `auto` (or none) when the session's
   * feature prefers local and the bridge answers.
   */
  takes(spec: RequestSpec): Promise<boolean>;
  /** Sends the call to the bridge with a ticket for it (the fee is held): LocalBridgeUnavailableError when none answers. */
  send(spec: RequestSpec & { requestId: string }): Promise<LocalAnswer>;
}

/**
 * The `local` route: a ticket from the Control API with the session (its
 * fee held on the wallet), then the call to the bridge on this machine with
 * the ticket in `x-modelfaucet-ticket`; the bridge reports the tokens used
 * against it. The cloud never sees the prompt or the answer. A ticket whose
 * call the bridge refused was not reported, so it is kept for the next call
 * under the same feature instead of holding a second fee.
 */
export function createLocalRoute(deps: {
  sessions: SessionKeeper;
  transport: Transport;
  fetch: typeof fetch;
  bridgeUrl: string;
}): LocalRoute {
  const bridge = deps.bridgeUrl.replace(/\/+$/, "");
  const spares = new Map<string, LocalTicket>();

  const unavailable = (requestId: string, cause?: unknown) =>
    new LocalBridgeUnavailableError({
      code: "local_bridge_unavailable",
      message:
        `No Local Bridge answered at ${bridge}: start modelfaucet-bridge on this machine ` +
        "(a web page's origin must be one of its --allow-origin).",
      status: 503,
      requestId,
      cause,
    });

  async function answers(signal: AbortSignal | undefined): Promise<boolean> {
    const timeout = AbortSignal.timeout(HEALTH_TIMEOUT_MS);
    try {
      return (await deps.fetch(`${bridge}/health`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout }))
        .ok;
    } catch {
      signal?.throwIfAborted();
      return false;
    }
  }

  async function ticketFor(featureKey: string | undefined, model: unknown, spec: RequestSpec): Promise<LocalTicket> {
    const spare = spares.get(featureKey ?? "");
    spares.delete(featureKey ?? "");
    if (spare && Date.parse(spare.expires_at) - Date.now() > TICKET_MARGIN_MS) return spare;
    return deps.transport.json<LocalTicket>({
      service: "api",
      method: "POST",
      path: "/v1/local/tickets",
      body: { feature_key: featureKey, model: typeof model === "string" ? model : undefined },
      options: { signal: spec.options?.signal },
    });
  }

  return {
    async takes({ service, path, options }) {
      const route: RouteChoice = options?.route ?? "auto";
      if (service !== "gateway" || !BRIDGE_PATHS.has(path) || (route !== "local" && route !== "auto")) return false;
      if (route === "local") return true;
      const { availableModes } = await deps.sessions.current();
      return availableModes[0] === "local" && (await answers(options?.signal));
    },

    async send(spec) {
      const signal = spec.options?.signal;
      if (!(await answers(signal))) throw unavailable(spec.requestId);
      const { featureKey, body } = withoutFeatureKey(spec.body as Record<string, unknown>);
      const ticket = await ticketFor(featureKey, body.model, spec);
      let response: Response;
      try {
        response = await deps.fetch(`${bridge}/v1${spec.path}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-modelfaucet-ticket": ticket.ticket,
            "x-request-id": spec.requestId,
          },
          body: JSON.stringify(body),
          signal: signal ?? null,
        });
      } catch (cause) {
        signal?.throwIfAborted();
        throw unavailable(spec.requestId, cause);
      }
      if (!response.ok) {
        spares.set(featureKey ?? "", ticket);
        throw await errorFromResponse(response);
      }
      return { response, block: blockOf(ticket, spec.requestId, body.model) };
    },
  };
}

/** `metadata.feature_key` picks the ticket's feature; like the Gateway, it is not passed on to the model server. */
function withoutFeatureKey(body: Record<string, unknown>) {
  const metadata = body.metadata as Record<string, unknown> | undefined;
  const featureKey = typeof metadata?.feature_key === "string" ? metadata.feature_key : undefined;
  if (!metadata || !("feature_key" in metadata)) return { featureKey, body };
  const { feature_key: _ours, ...rest } = metadata;
  const { metadata: _metadata, ...others } = body;
  return { featureKey, body: Object.keys(rest).length > 0 ? { ...others, metadata: rest } : others };
}

/**
 * The block of a local call, as the Gateway's: the price is the ticket's
 * fee, and the wallet after settlement is the wallet with it held (settling
 * posts exactly what was held). A bridge model id is `<runtime>/<id>`: the
 * runtime stands as the provider, as in the usage record.
 */
function blockOf(ticket: LocalTicket, requestId: string, model: unknown): ModelfaucetBlock {
  const id = String(model);
  const slash = id.indexOf("/");
  return {
    request_id: requestId,
    route_mode: "local",
    feature_key: ticket.feature_key,
    provider: slash > 0 ? id.slice(0, slash) : "local",
    model: id,
    price_usd: ticket.local_fee_usd,
    available_usd: ticket.available_usd,
  };
}
