import type { GeminiPart } from "./gemini-wire.js";
import { unsupportedInput } from "./unsupported-input.js";

/** Image MIME types by file extension, for `fileData.mimeType` of an http(s) image. */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  heic: "image/heic",
  heif: "image/heif",
};

/**
 * An OpenAI `image_url.url` → a Gemini part:
 * - `data:<type>;base64,<data>` → `inlineData` (the bytes travel in the request);
 * - `http(s)://…` → `fileData {fileUri, mimeType?}`: Gemini fetches the URL
 *   itself (documented for public URLs on current models); `mimeType` is set
 *   when the path's extension names an image type, else left to Gemini;
 * - anything else (`gs://`, `file:`, a data URL that is not base64) is refused.
 * https://ai.google.dev/gemini-api/docs/image-understanding
 */
export function convertImageUrl(url: string): GeminiPart {
  if (url.startsWith("data:")) return { inlineData: parseBase64DataUrl(url, "an image data URL") };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw unsupportedInput("an image_url that is not a valid URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw unsupportedInput("an image_url other than a data: or http(s) URL");
  }
  const extension = parsed.pathname.slice(parsed.pathname.lastIndexOf(".") + 1).toLowerCase();
  const mimeType = IMAGE_TYPES[extension];
  return { fileData: mimeType === undefined ? { fileUri: url } : { fileUri: url, mimeType } };
}

/** `data:<mime>[;params];base64,<data>` → `{mimeType, data}`; anything else is refused. Not a regex: the data may be megabytes. */
export function parseBase64DataUrl(url: string, what: string): { mimeType: string; data: string } {
  const comma = url.indexOf(",");
  const header = comma === -1 ? "" : url.slice(5, comma);
  const params = header.split(";");
  const mimeType = (params[0] ?? "").trim().toLowerCase();
  if (comma === -1 || !params.slice(1).includes("base64") || !/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(mimeType)) {
    throw unsupportedInput(`${what} that is not base64 with a MIME type`);
  }
  return { mimeType, data: url.slice(comma + 1) };
}
