import type { UsageRecord } from "@modelfaucet/billing";
import {
  perMinuteChecks,
  perMinuteWindows,
  RateLimitedError,
  type Logger,
  type PerMinuteCheck,
  type PerMinuteRates,
  type Redis,
  type SessionContext,
  type TakenCharge,
} from "@modelfaucet/server-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Feature } from "../catalog/feature-catalog.js";

// Every window is a minute: an admission older than that owes nothing back.
const WINDOW_MS = 60_000;

/** The per-minute rates an app's `limits` set, when the app has any (the Gateway's cached app limits). */
export type AppRates = (appId: string) => Promise<PerMinuteRates | undefined>;

/** What admitting one request is measured by. */
export interface RequestSize {
  /** The prompt's token bound, as the hold counts it. */
  promptTokens: number;
  /** The output limit the hold is sized for. */
  maxOutputTokens: number;
}

/** A request admitted with tokens counted at its worst case, until its settlement says what it used. */
interface Admission {
  endUserId: string;
  tokens: TakenCharge[];
  reserved: number;
  admittedAtMs: number;
  open: boolean;
}

export interface UserRateLimits {
  /**
   * Admits a request once, before anything is held: counts 1 against each
   * requests-per-minute limit and its worst case (prompt bound + output
   * limit) against each tokens-per-minute limit that applies; throws 429
   * `rate_limited` (nothing counted) when one is over.
   */
  admit(request: FastifyRequest, session: SessionContext, feature: Feature, size: RequestSize): Promise<void>;
  /** A settlement: the admission's unused tokens go back to this minute (the used ones stay counted). */
  settled(record: Pick<UsageRecord, "requestId" | "session" | "usage">): void;
}

/**
 * Per-end-user requests- and tokens-per-minute (a feature's `policy.limits`
 * for that feature's requests, the app's `limits` for all of them), counted
 * over fixed one-minute windows in Redis when configured (one count across
 * every Gateway instance) or in memory. A request is admitted once, in its
 * route's planning step — before any hold, so retries and fallbacks over
 * several routes never count twice. Its tokens count at their worst case
 * until its settlement gives the unused part back; a request that never
 * settles (refused later, every route failed) gives them all back when its
 * answer is sent. Give-backs after the window ended are dropped.
 */
export function createUserRateLimits(
  app: FastifyInstance,
  options: { redis?: Redis | undefined; logger: Logger; appRates: AppRates },
): UserRateLimits {
  const windows = perMinuteWindows({
    redis: options.redis,
    onStoreFailure: (error) =>
      options.logger.error({ err: error }, "per-minute limit store failed; request counted as allowed"),
  });
  // Open admissions by request id (a settlement names only that) and by request (a response without one).
  const byRequestId = new Map<string, Admission[]>();
  const byRequest = new WeakMap<FastifyRequest, Admission>();

  function close(admission: Admission, usedTokens: number) {
    if (!admission.open) return;
    admission.open = false;
    const unused = admission.reserved - usedTokens;
    for (const charge of admission.tokens) void windows.giveBack(charge, unused);
  }

  // Admissions whose windows have certainly ended owe nothing back: dropped (insertion order is admission order).
  function prune(now: number) {
    for (const [requestId, admissions] of byRequestId) {
      if (admissions.some((admission) => admission.admittedAtMs + WINDOW_MS > now)) return;
      byRequestId.delete(requestId);
    }
  }

  app.addHook("onResponse", async (request) => {
    const admission = byRequest.get(request);
    if (!admission?.open) return;
    forget(request.id, admission);
    close(admission, 0);
  });

  function forget(requestId: string, admission: Admission) {
    const admissions = byRequestId.get(requestId);
    if (!admissions) return;
    const left = admissions.filter((other) => other !== admission);
    if (left.length === 0) byRequestId.delete(requestId);
    else byRequestId.set(requestId, left);
  }

  return {
    async admit(request, session, feature, size) {
      const tokens = size.promptTokens + size.maxOutputTokens;
      const rates = { feature: feature.policy.limits, app: await options.appRates(session.appId) };
      const checks = perMinuteChecks(session, feature.featureKey, rates, tokens);
      if (checks.length === 0) return;
      const tooLarge = checks.find((check) => check.unit === "tokens" && check.cost > check.limit);
      if (tooLarge) throw new RateLimitedError(tooLargeMessage(tooLarge, size));
      const outcome = await windows.take(checks);
      if (!outcome.admitted) {
        throw new RateLimitedError(refusalMessage(outcome.refused), outcome.retryAfterMs);
      }
      const taken = outcome.taken.filter((charge) => charge.unit === "tokens");
      if (taken.length === 0) return;
      const now = Date.now();
      prune(now);
      const admission = {
        endUserId: session.endUserId,
        tokens: taken,
        reserved: tokens,
        admittedAtMs: now,
        open: true,
      };
      byRequest.set(request, admission);
      byRequestId.set(request.id, [...(byRequestId.get(request.id) ?? []), admission]);
    },

    settled(record) {
      const admission = byRequestId.get(record.requestId)?.find((open) => open.endUserId === record.session.endUserId);
      if (!admission) return;
      forget(record.requestId, admission);
      close(admission, record.usage.inputTokens + record.usage.outputTokens);
    },
  };
}

const whose = (check: PerMinuteCheck) => (check.scope === "feature" ? "this feature" : "this app");

function refusalMessage(check: PerMinuteCheck): string {
  return (
    `Too many ${check.unit}: ${whose(check)} allows ${check.limit} ${check.unit} per minute per user` +
    (check.unit === "tokens" ? ` and this request may use up to ${check.cost}` : "") +
    "; retry after the time in Retry-After."
  );
}

function tooLargeMessage(check: PerMinuteCheck, size: RequestSize): string {
  return (
    `This request may use up to ${check.cost} tokens (a prompt of ${size.promptTokens} plus an output limit of ` +
    `${size.maxOutputTokens}), more than the ${check.limit} tokens per minute per user ${whose(check)} allows; ` +
    "lower max_tokens or shorten the prompt."
  );
}
