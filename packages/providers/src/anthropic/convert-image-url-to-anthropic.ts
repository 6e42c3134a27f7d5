import type { AnthropicImageBlock } from "./anthropic-wire.js";

/** Image media types Anthropic accepts. https://docs.anthropic.com/en/docs/build-with-claude/vision */
export const ANTHROPIC_IMAGE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
]);

const DATA_URL_PREFIX = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+);base64,/i;

/**
 * An OpenAI `image_url.url` → an Anthropic image source: a base64 `data:`
 * URL of a supported type becomes a `base64` source, an http(s) URL a `url`
 * source (Anthropic fetches it). Undefined for anything else (other media
 * types, non-base64 data URLs, other schemes), which the caller reports.
 */
export function convertImageUrlToAnthropic(url: string): AnthropicImageBlock | undefined {
  const data = DATA_URL_PREFIX.exec(url);
  if (data !== null) {
    const mediaType = (data[1] as string).toLowerCase();
    if (!ANTHROPIC_IMAGE_MEDIA_TYPES.has(mediaType)) return undefined;
    return { type: "image", source: { type: "base64", media_type: mediaType, data: url.slice(data[0].length) } };
  }
  if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
  return undefined;
}
