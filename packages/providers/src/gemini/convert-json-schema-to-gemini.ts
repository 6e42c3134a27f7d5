import type { GeminiSchema } from "./gemini-wire.js";
import { isRecord } from "./is-record.js";

/** Deepest schema nesting converted; deeper schemas are reported as unconvertible. */
export const MAX_SCHEMA_DEPTH = 32;

/** Most dropped keywords a warning names; the rest are counted. */
const MAX_NAMED_KEYWORDS = 16;

/** A keyword as JSON Schema spells them (`additionalProperties`, `$schema`); any other key is the caller's text. */
const KEYWORD_NAME = /^\$?[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Keywords of Gemini's Schema object copied as they are. https://ai.google.dev/api/caching#Schema */
const COPIED = new Set([
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "maxItems",
  "minItems",
  "required",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "example",
  "propertyOrdering",
  "default",
  "minimum",
  "maximum",
]);

export type SchemaConversion =
  | {
      readonly ok: true;
      /** Undefined for an object schema without properties (Gemini refuses those; send no schema). */
      readonly schema: GeminiSchema | undefined;
      /** JSON Schema keywords Gemini's subset lacks, dropped (sorted, for a warning). */
      readonly dropped: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * A JSON Schema (as OpenAI takes in `parameters` and `json_schema.schema`) →
 * Gemini's OpenAPI 3.0 subset: `type: [T, "null"]` → `type: T, nullable`,
 * `const` → a one-value `enum`, `oneOf` → `anyOf`; keywords outside the
 * subset (`additionalProperties`, `$schema`, `allOf`…) are dropped and
 * listed. `$ref` cannot be expressed (no definitions) and fails the
 * conversion, as does nesting deeper than MAX_SCHEMA_DEPTH.
 */
export function convertJsonSchemaToGemini(schema: unknown): SchemaConversion {
  const dropped = new Set<string>();
  try {
    const converted = convertNode(schema, dropped, 0);
    const isEmptyObject =
      converted !== undefined && converted.type === "object" && !isNonEmptyRecord(converted.properties);
    return { ok: true, schema: isEmptyObject ? undefined : converted, dropped: [...dropped].sort() };
  } catch (error) {
    if (error instanceof UnconvertibleSchema) return { ok: false, reason: error.message };
    throw error;
  }
}

/** A warning's details for the keywords a conversion dropped: names them, at most MAX_NAMED_KEYWORDS. */
export function droppedKeywordsDetails(dropped: readonly string[]): string {
  const named = dropped.slice(0, MAX_NAMED_KEYWORDS).join(", ");
  const more = dropped.length - MAX_NAMED_KEYWORDS;
  return `Dropped schema keywords: ${named}${more > 0 ? ` and ${more} more` : ""}.`;
}

class UnconvertibleSchema extends Error {}

function convertNode(node: unknown, dropped: Set<string>, depth: number): GeminiSchema | undefined {
  if (depth > MAX_SCHEMA_DEPTH) throw new UnconvertibleSchema(`nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
  if (node === true || (isRecord(node) && Object.keys(node).length === 0)) return undefined; // "anything"
  if (!isRecord(node)) throw new UnconvertibleSchema("a schema that is not an object");
  if (node.$ref !== undefined) throw new UnconvertibleSchema("$ref, which Gemini's schema cannot express");
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (COPIED.has(keyword)) out[keyword] = value;
    else if (keyword === "type") Object.assign(out, convertType(value, dropped));
    else if (keyword === "const") out.enum = [value];
    else if (keyword === "properties" && isRecord(value)) out.properties = convertProperties(value, dropped, depth);
    else if (keyword === "items") out.items = convertNode(value, dropped, depth + 1) ?? {};
    else if ((keyword === "anyOf" || keyword === "oneOf") && Array.isArray(value)) {
      if (keyword === "oneOf") dropped.add("oneOf (sent as anyOf)");
      out.anyOf = value.map((item) => convertNode(item, dropped, depth + 1) ?? {});
    } else dropped.add(KEYWORD_NAME.test(keyword) ? keyword : "a key that is not a keyword");
  }
  return out;
}

function convertProperties(properties: Record<string, unknown>, dropped: Set<string>, depth: number) {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(properties)) out[name] = convertNode(value, dropped, depth + 1) ?? {};
  return out;
}

function convertType(type: unknown, dropped: Set<string>): Record<string, unknown> {
  if (typeof type === "string") return { type };
  if (!Array.isArray(type)) {
    dropped.add("type");
    return {};
  }
  const nullable = type.includes("null");
  const rest = type.filter((t) => t !== "null");
  if (rest.length === 1) return nullable ? { type: rest[0], nullable: true } : { type: rest[0] };
  dropped.add("type (a union of several types)");
  return nullable ? { nullable: true } : {};
}

function isNonEmptyRecord(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length > 0;
}
