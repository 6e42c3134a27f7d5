/**
 * An embedding as numbers: asked for as `float`, but an OpenAI-compatible
 * server may still send base64 (little-endian float32), which is decoded.
 */
export function embeddingVector(embedding: string | number[]): number[] {
  if (Array.isArray(embedding)) return embedding;
  const bytes = Uint8Array.from(atob(embedding), (char) => char.charCodeAt(0));
  return Array.from(new Float32Array(bytes.buffer, 0, Math.floor(bytes.length / 4)));
}
