// `@modelfaucet/sdk`: the browser-safe client. No Node built-in, no secret:
// it holds a short-lived session token that the app's server minted
// (`@modelfaucet/sdk/server`), in memory only.
export { createFaucet, type AddKeyParams, type Faucet, type FaucetOptions, type TopUpParams } from "./create-faucet.js";
export type { SessionGrant } from "./session/session-grant.js";
export type { CallOptions, RouteChoice } from "./http/transport.js";
export type { FaucetStream } from "./streaming/faucet-stream.js";
export type { ChatStream, ChatStreamResult } from "./chat/chat-stream.js";
export type { ResponsesStream, ResponsesStreamResult } from "./responses/responses-stream.js";
export {
  LOCAL_BRIDGE_URL,
  type DetectOptions,
  type LocalBridgeStatus,
  type LocalModel,
} from "./local/detect-local-bridge.js";
export type { OpenAIOptions } from "./openai-options.js";
export * from "./errors.js";
export type * from "./wire-types.js";
