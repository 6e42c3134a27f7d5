import { AppError } from "@modelfaucet/core";
import {
  context,
  createContextKey,
  INVALID_SPAN_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";

/** Where the request's SERVER span sits in the OpenTelemetry context, whatever child span is active. */
export const REQUEST_SPAN_KEY = createContextKey("modelfaucet.request_span");

/** The SERVER span of the request being handled, or undefined outside a traced request (or with tracing off). */
export function activeRequestSpan(): Span | undefined {
  return context.active().getValue(REQUEST_SPAN_KEY) as Span | undefined;
}

/** A bounded, text-free name for what went wrong: an AppError's code, else the error's class name. */
export function errorType(error: unknown): string {
  if (error instanceof AppError) return error.code;
  return error instanceof Error ? error.name : "unknown";
}

/** Marks a span failed with `error.type` — never the message, which may quote upstream text. */
export function markSpanFailed(span: Span, type: string): void {
  span.setAttribute(ATTR_ERROR_TYPE, type);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

const NOT_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Runs `run` inside a child span of the current request's span: the span is
 * active for everything `run` awaits, ends when it settles, and is marked
 * failed (by errorType) when it throws. Outside a traced request `run` gets a
 * span that records nothing, so a wrapped dependency costs nothing there.
 */
export async function inChildSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  run: (span: Span) => Promise<T>,
): Promise<T> {
  if (activeRequestSpan() === undefined) return run(NOT_RECORDING);
  const parent = context.active();
  const span = tracer.startSpan(name, { attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), run, undefined, span);
  } catch (error) {
    markSpanFailed(span, errorType(error));
    throw error;
  } finally {
    span.end();
  }
}
