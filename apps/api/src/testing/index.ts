/**
 * For tests and the repository's scripts, not for production code:
 * `@modelfaucet/api/testing`.
 */
export { signTestEvent } from "./sign-test-event.js";
