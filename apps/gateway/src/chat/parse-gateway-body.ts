import { findJsonBoundsIssue, type JsonBounds } from "@modelfaucet/core";
import { ZodError, type z } from "zod";

/**
 * Limits on every Gateway JSON body (chat, embeddings, responses), known
 * fields and passed-through ones alike. 64 levels is several times what real
 * tool JSON Schemas and structured outputs nest; a body nested thousands of
 * levels deep would otherwise fail later, when it is encoded for upstream.
 * Arrays: far above any real list of messages, parts, tools or inputs.
 * Strings: 32 MiB characters, above any base64 image the body limit lets in.
 */
export const GATEWAY_BODY_BOUNDS: Readonly<JsonBounds> = Object.freeze({
  maxDepth: 64,
  maxArrayLength: 100_000,
  maxStringLength: 32 * 1024 * 1024,
});

/**
 * A request body checked against GATEWAY_BODY_BOUNDS, then parsed with
 * `schema`. A body out of bounds is refused like a schema's own refusal: 400
 * `invalid_request` naming the field.
 */
export function parseGatewayBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const issue = findJsonBoundsIssue(body, GATEWAY_BODY_BOUNDS);
  if (issue) throw new ZodError([{ code: "custom", path: issue.path, message: issue.message, input: undefined }]);
  return schema.parse(body);
}
