import { createHash } from "node:crypto";
import { countEmbeddingInputTokens } from "../embeddings/count-embedding-input-tokens.js";
import type { EmbeddingInput } from "../embeddings/embedding-provider.js";
import { MockRequestError } from "./parse-mock-chat-request.js";

/** Vector length when the request names no `dimensions`. */
export const MOCK_EMBEDDING_DIMENSIONS = 16;
/** Most `dimensions` the mock accepts (OpenAI's largest model has 3072). */
const MAX_DIMENSIONS = 4096;
/** Most inputs per request, as OpenAI. */
const MAX_INPUTS = 2048;

/**
 * The mock's answer to `POST /v1/embeddings`: one deterministic unit vector
 * per input (seeded by the SHA-256 of the input), as JSON numbers or, with
 * `encoding_format: "base64"`, as little-endian float32 bytes. Values are
 * float32-exact, so both formats decode to the same numbers. Usage counts
 * the input with o200k_base. Throws MockRequestError for what OpenAI refuses.
 */
export function renderMockEmbeddings(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new MockRequestError("We could not parse the JSON body of your request.", null);
  }
  if (!isObject(body)) throw new MockRequestError("The request body must be a JSON object.", null);
  if (typeof body.model !== "string" || body.model.length === 0) {
    throw new MockRequestError("you must provide a model parameter", "model");
  }
  const inputs = parseInputs(body.input);
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") {
    throw new MockRequestError("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
  }
  const dimensions = body.dimensions ?? MOCK_EMBEDDING_DIMENSIONS;
  if (
    typeof dimensions !== "number" ||
    !Number.isSafeInteger(dimensions) ||
    dimensions < 1 ||
    dimensions > MAX_DIMENSIONS
  ) {
    throw new MockRequestError(`'dimensions' must be an integer in [1, ${MAX_DIMENSIONS}].`, "dimensions");
  }
  const data = inputs.map((input, index) => {
    const vector = mockVector(input, dimensions);
    return { object: "embedding", index, embedding: format === "base64" ? toBase64(vector) : Array.from(vector) };
  });
  const promptTokens = countEmbeddingInputTokens(body.input as EmbeddingInput);
  return JSON.stringify({
    object: "list",
    data,
    model: body.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

/** The unit vector the mock returns for `input` (a text or a token array) at `dimensions`. */
export function mockVector(input: string | readonly number[], dimensions: number): Float32Array {
  const seed = createHash("sha256").update(JSON.stringify(input)).digest();
  let state = seed.readUInt32LE(0) || 1;
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    // xorshift32: cheap, deterministic, good enough for a mock.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const value = state / 0xffffffff - 0.5;
    vector[i] = value;
    norm += value * value;
  }
  const scale = norm === 0 ? 1 : 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] as number) * scale;
  return vector;
}

function toBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i] as number, i * 4);
  return bytes.toString("base64");
}

function parseInputs(input: unknown): Array<string | readonly number[]> {
  const invalid = () =>
    new MockRequestError("'input' must be a non-empty string, array of strings or token arrays.", "input");
  if (typeof input === "string") {
    if (input.length === 0) throw invalid();
    return [input];
  }
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_INPUTS) throw invalid();
  if (input.every(isTokenId)) return [input as number[]];
  return input.map((item: unknown) => {
    if (typeof item === "string" && item.length > 0) return item;
    if (Array.isArray(item) && item.length > 0 && item.every(isTokenId)) return item as number[];
    throw invalid();
  });
}

function isTokenId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
