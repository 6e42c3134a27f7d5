// `@modelfaucet/sdk/server`: Node only. Uses the app's secret key, which
// must never reach a browser.
export {
  createSessionMinter,
  type MintParams,
  type SessionMinter,
  type SessionMinterOptions,
} from "./server/create-session-minter.js";
export {
  MAX_ASSERTION_LIFETIME_SECONDS,
  signUserAssertion,
  type UserAssertion,
  type UserAssertionParams,
} from "./server/sign-user-assertion.js";
export type { SessionGrant } from "./session/session-grant.js";
export * from "./errors.js";
