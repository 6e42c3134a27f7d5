/**
 * A part of a request an adapter could not honour: the call still goes out,
 * without it or with the nearest equivalent (said in `details`) — never a
 * silent drop (the Vercel AI SDK's call warnings). Every text is the
 * adapter's own: settings are named by field or JSON path shape, never by the
 * caller's content, so a warning is safe to log.
 *
 * - `unsupported-setting`: a request field with no equivalent was dropped or
 *   approximated (`setting` names it, e.g. `logit_bias`,
 *   `response_format.json_schema`, `tools[0].function.strict`);
 * - `unsupported-content`: a message, content part or tool was dropped or
 *   changed (`setting` is its JSON path shape, e.g.
 *   `messages[].content[].input_audio`);
 * - `other`: anything else, said in `message`.
 */
export type ProviderWarning =
  | {
      readonly type: "unsupported-setting" | "unsupported-content";
      readonly setting: string;
      readonly details?: string;
    }
  | { readonly type: "other"; readonly message: string };
