import type { PiiVault } from "@modelfaucet/core";
import { mapStrings } from "./map-strings.js";

/**
 * A chat completion as the user sees it: every text of every choice's
 * message (content, refusal, tool call arguments…) with the placeholders of
 * `vault` replaced by what they stood for. Items hold no `"`, `\` or control
 * character, so restoring inside JSON text (tool arguments) keeps it valid.
 */
export function restoreChatCompletion<Body extends { choices: readonly unknown[] }>(
  body: Body,
  vault: PiiVault | undefined,
): Body {
  if (!vault || vault.size === 0) return body;
  return { ...body, choices: mapStrings(body.choices, (text) => vault.restore(text)) as Body["choices"] };
}

/** A Responses API `response` as the user sees it: every text in it restored (output, output_text, echoed instructions). */
export function restoreResponseObject<Body extends Readonly<Record<string, unknown>>>(
  body: Body,
  vault: PiiVault | undefined,
): Body {
  if (!vault || vault.size === 0) return body;
  return mapStrings(body, (text) => vault.restore(text)) as Body;
}
