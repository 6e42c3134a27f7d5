// Cloud-safe URL guard: what the cloud side may connect to (DESIGN.md, hard rule 3). See README.md.
export {
  ALLOWABLE_ADDRESS_CATEGORIES,
  BLOCKED_ADDRESS_CATEGORIES,
  BLOCKED_IPV4_RANGES,
  BLOCKED_IPV6_RANGES,
  classifyAddress,
  isPublicAddress,
  type AddressCategory,
  type BlockedAddressCategory,
} from "./classify-address.js";
export { METADATA_HOSTNAMES, normalizeHostname } from "./check-hostname.js";
export { checkUrlOnStore, type UrlAccepted, type UrlCheckResult } from "./check-url-on-store.js";
export {
  resolveAndCheck,
  type ResolvedAndChecked,
  type ResolveRefusal,
  type ResolveResult,
} from "./resolve-and-check.js";
export {
  createGuardedConnector,
  DEFAULT_GUARDED_CONNECTOR_OPTIONS,
  type GuardedConnectorOptions,
} from "./create-guarded-connector.js";
export {
  ALLOW_PRIVATE_HOSTS_ENV,
  createUrlGuardPolicy,
  DEFAULT_URL_GUARD_OPTIONS,
  MAX_ALLOW_PRIVATE_HOSTS,
  parseAllowPrivateHosts,
  type ResolvedAddress,
  type UrlGuardLookup,
  type UrlGuardOptions,
  type UrlGuardPolicy,
} from "./url-guard-policy.js";
export { isUrlGuardError, URL_GUARD_ERROR_CODE, UrlGuardError } from "./url-guard-error.js";
export type { UrlGuardReason, UrlGuardRefusal } from "./url-guard-reason.js";
