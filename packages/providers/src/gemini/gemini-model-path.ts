import { unsupportedInput } from "./unsupported-input.js";

/** A Gemini model id as it may appear in a URL path segment (e.g. `gemini-2.5-flash`, `gemini-2.0-flash-001`). */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The request path of a model method: `{basePath}/v1beta/models/{model}:{method}`,
 * plus `?alt=sse` for streams (without it Gemini streams one JSON array).
 * A leading `models/` on the id is accepted; any other character outside
 * MODEL_ID is refused, so the model id cannot reshape the path.
 * https://ai.google.dev/api/generate-content
 */
export function geminiModelPath(basePath: string, model: string, stream: boolean): string {
  const id = model.startsWith("models/") ? model.slice("models/".length) : model;
  if (!MODEL_ID.test(id))
    throw unsupportedInput("a model id with characters other than letters, digits, '.', '_' and '-'");
  return stream
    ? `${basePath}/v1beta/models/${id}:streamGenerateContent?alt=sse`
    : `${basePath}/v1beta/models/${id}:generateContent`;
}
