// The commands' work as functions, for tests that run it without a process.
export { rotateSecrets } from "./commands/secrets-rotate.js";
