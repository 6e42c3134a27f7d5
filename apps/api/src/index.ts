export { buildApi, gatewayBaseUrl, API_SERVICE, type ApiDeps } from "./build-api.js";
// For what ApiDeps takes: a Stripe client made as the API makes its own, and a provider-key validator's input.
export { createStripeClient } from "./payments/stripe-client.js";
export type { ProviderKeyCandidate } from "./provider-keys/validate-provider-key.js";
