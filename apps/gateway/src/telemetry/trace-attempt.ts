import { markSpanFailed } from "@modelfaucet/server-kit";
import { isProviderError } from "@modelfaucet/providers";
import { context, SpanKind, trace, type Tracer } from "@opentelemetry/api";
import { ATTR_HTTP_RESPONSE_STATUS_CODE } from "@opentelemetry/semantic-conventions";
import { classifyFailure } from "../reliability/retry-policy.js";
import type { AttemptTracer } from "../reliability/run-on-routes.js";
import {
  endpointOperation,
  GEN_AI_OPERATION_NAME,
  GEN_AI_REQUEST_MODEL,
  providerAttributes,
} from "./genai-attributes.js";

/**
 * One CLIENT span per upstream call, named as the GenAI conventions name a
 * model call (`chat gpt-4o-mini`: operation and the provider's model name),
 * with the provider, route mode, which try on that route it is, and how it
 * ended — the same outcome the usage event's attempts log records, plus the
 * upstream's HTTP status when it answered. A stream's span ends when
 * upstream answered 2xx, before the first chunk is relayed; the relay is the
 * request span's.
 */
export function attemptTracer(tracer: Tracer): AttemptTracer {
  return async (attempt, call) => {
    const operation = endpointOperation(attempt.endpoint);
    const parent = context.active();
    const span = tracer.startSpan(
      `${operation} ${attempt.model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [GEN_AI_OPERATION_NAME]: operation,
          [GEN_AI_REQUEST_MODEL]: attempt.model,
          ...providerAttributes(attempt.provider),
          "modelfaucet.route_mode": attempt.route_mode,
          "modelfaucet.attempt": attempt.attempt,
        },
      },
      parent,
    );
    try {
      const result = await context.with(trace.setSpan(parent, span), call);
      span.setAttribute("modelfaucet.attempt.outcome", "success");
      return result;
    } catch (error) {
      const outcome = classifyFailure(error);
      span.setAttribute("modelfaucet.attempt.outcome", outcome);
      if (isProviderError(error) && error.status !== undefined) {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, error.status);
      }
      markSpanFailed(span, outcome);
      throw error;
    } finally {
      span.end();
    }
  };
}
