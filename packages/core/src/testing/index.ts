/**
 * fast-check arbitraries of the rating inputs (token usage, model prices,
 * feature pricing, route modes), for property tests of code that rates or
 * bills: `@modelfaucet/core/testing`. Never imported by production code.
 */
export { modelPrice, ratingPricing, routeMode, tokenCount, tokenRoute, tokenUsage } from "./rating-arbitraries.js";
