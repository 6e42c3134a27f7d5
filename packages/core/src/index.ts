// Only what other packages and apps use. The rest of core is internal: a
// test beside a module imports the module itself.
export { ERROR_STATUS, isErrorCode, type ErrorCode } from "./errors/error-code.js";
export { ERROR_TYPES, errorType, type ErrorType } from "./errors/error-type.js";
export { AppError } from "./errors/app-error.js";
export { errorEnvelope, type ErrorDetails, type ErrorEnvelope } from "./errors/envelope.js";
export { validationMessage } from "./errors/validation-message.js";
export { isSaneRequestId } from "./request-id.js";
export { USD_SCALE } from "./money/usd-units.js";
export { parseUsd } from "./money/parse-usd.js";
export { formatUsd } from "./money/format-usd.js";
export { usdString, usdStringSchema, usdUnitsSchema } from "./money/usd-schema.js";
export type { ParseUsdOptions } from "./money/parse-usd.js";
export { pricePerMillionToUnits } from "./catalog/model-price.js";
export { ROUTE_MODES, type RouteMode } from "./rating/route-mode.js";
export type { RatingPricing } from "./rating/rating-pricing.js";
export type { TokenUsage } from "./rating/token-usage.js";
export { rateUsage, type RatedCharge } from "./rating/rate-usage.js";
export { estimateMaxCharge, type EstimateMaxChargeInput } from "./rating/estimate-max-charge.js";
export { capChargeAtHold } from "./rating/cap-charge.js";
export { rateCacheHit } from "./rating/rate-cache-hit.js";
export { featureCacheSchema, MAX_CACHE_TTL_SECONDS, type FeatureCache } from "./manifest/feature-cache-schema.js";
export { featurePricingSchema } from "./manifest/feature-pricing-schema.js";
export {
  featureManifestSchema,
  FEATURE_KEY_PATTERN,
  type FeatureManifest,
  type FeatureManifestInput,
} from "./manifest/feature-manifest-schema.js";
export { pricingFromManifest } from "./manifest/pricing-from-manifest.js";
export { findUnsafeText, isSafeText, type UnsafeTextIssue } from "./validation/safe-text.js";
export { findJsonBoundsIssue, type JsonBounds } from "./validation/json-bounds.js";
export { compileRedactionPolicy, type RedactionPolicy } from "./privacy/redaction-policy.js";
export type { CustomPattern } from "./privacy/custom-pattern.js";
export { PiiVault, type StreamRestorer, type TextSteps } from "./privacy/pii-vault.js";
export {
  hasCapabilities,
  isModelCapability,
  MODEL_CAPABILITIES,
  type ModelCapability,
} from "./model-policy/model-capabilities.js";
export { MODEL_POLICIES, type ModelPolicy } from "./model-policy/model-policies.js";
export {
  chooseCheapestModel,
  modelOutputLimit,
  type CheapestModelChoice,
  type ModelOption,
  type ModelRequirements,
} from "./model-policy/choose-cheapest-model.js";
export { requiredChatCapabilities, requiredResponsesCapabilities } from "./model-policy/required-capabilities.js";
export {
  appLimitsSchema,
  BUDGET_PERIODS,
  BUDGET_SCOPES,
  featureLimitsSchema,
  type Budget,
  type BudgetPeriod,
  type BudgetScope,
  type Limits,
} from "./limits/limits-schema.js";
export {
  bucketStart,
  budgetGrain,
  budgetWindow,
  nextBucketStart,
  type BudgetGrain,
  type BudgetWindow,
} from "./limits/budget-period.js";
export { applicableBudgets, type ApplicableBudget, type BudgetSubject } from "./limits/applicable-budgets.js";
export { canonicalJson } from "./json/canonical-json.js";
