export { ERROR_STATUS, isErrorCode, type ErrorCode } from "./errors/error-code.js";
export { AppError, type AppErrorOptions } from "./errors/app-error.js";
export { errorEnvelope, type ErrorDetails, type ErrorEnvelope, type ErrorEnvelopeOptions } from "./errors/envelope.js";
export { errorType, type ErrorType } from "./errors/error-type.js";
export { fieldPath, validationMessage } from "./errors/validation-message.js";
export { isSaneRequestId, MAX_REQUEST_ID_LENGTH } from "./request-id.js";
export { USD_SCALE, USD_DECIMALS, MAX_USD_INTEGER_DIGITS } from "./money/usd-units.js";
export { parseUsd, type ParseUsdOptions } from "./money/parse-usd.js";
export { formatUsd } from "./money/format-usd.js";
export { usdString, usdStringSchema, usdUnitsSchema } from "./money/usd-schema.js";
export {
  pricePerMillionToUnits,
  parseModelPrice,
  type ModelPrice,
  type ModelPriceText,
} from "./catalog/model-price.js";
export { ROUTE_MODES, isRouteMode, type RouteMode } from "./rating/route-mode.js";
export { MAX_MARKUP_PERCENT, MAX_MARKUP_BPS, markupPercentToBps, tryMarkupPercentToBps } from "./rating/markup-bps.js";
export { BPS_DENOMINATOR, type RatingPricing } from "./rating/rating-pricing.js";
export { type TokenUsage } from "./rating/token-usage.js";
export { rateUsage, type RateUsageInput, type RatedCharge } from "./rating/rate-usage.js";
export { estimateMaxCharge, type EstimateMaxChargeInput } from "./rating/estimate-max-charge.js";
export {
  featurePolicySchema,
  ROUTE_PREFERENCES,
  MAX_FEATURE_OUTPUT_TOKENS,
  DEFAULT_MAX_OUTPUT_TOKENS,
  type FeaturePolicy,
  type RoutePreference,
} from "./manifest/feature-policy-schema.js";
export { featurePricingSchema, type FeaturePricing } from "./manifest/feature-pricing-schema.js";
export {
  featureManifestSchema,
  FEATURE_KEY_PATTERN,
  type FeatureManifest,
  type FeatureManifestInput,
} from "./manifest/feature-manifest-schema.js";
export { pricingFromManifest } from "./manifest/pricing-from-manifest.js";
export { capChargeAtHold } from "./rating/cap-charge.js";
export {
  escapeUnsafeText,
  findUnsafeText,
  isSafeText,
  UNSAFE_TEXT_MESSAGE,
  type UnsafeTextIssue,
  type UnsafeTextLimits,
} from "./validation/safe-text.js";
export { findJsonBoundsIssue, type JsonBounds, type JsonBoundsIssue } from "./validation/json-bounds.js";
