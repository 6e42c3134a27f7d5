import type { ResponsesRequestBody } from "@modelfaucet/contract";
import { mapJsonText, type TextMap } from "./map-strings.js";

type Item = Exclude<ResponsesRequestBody["input"], string>[number];

/**
 * A Responses request with `map` applied to what its input says: the input
 * string or each item's content (a string, or the `text` of its text parts:
 * `input_text`, `output_text`), function calls' `arguments` and function
 * outputs (as JSON where they are JSON, see mapJsonText), and the
 * `instructions`. Tools, the model and parameters stay as they are.
 */
export function mapResponsesRequestTexts(body: ResponsesRequestBody, map: TextMap): ResponsesRequestBody {
  const mapped: ResponsesRequestBody = {
    ...body,
    input: typeof body.input === "string" ? map(body.input) : body.input.map((item) => mapItem(item, map)),
  };
  if (typeof body.instructions === "string") mapped.instructions = map(body.instructions);
  return mapped;
}

function mapItem(item: Item, map: TextMap): Item {
  const mapped: Item = { ...item };
  if (typeof item.content === "string") mapped.content = map(item.content);
  else if (Array.isArray(item.content)) {
    mapped.content = item.content.map((part) => {
      const text = (part as { text?: unknown }).text;
      return typeof text === "string" && part.type.endsWith("_text") ? { ...part, text: map(text) } : part;
    });
  }
  if (typeof item.arguments === "string") mapped.arguments = mapJsonText(item.arguments, map);
  if (typeof item.output === "string") mapped.output = mapJsonText(item.output, map);
  return mapped;
}
