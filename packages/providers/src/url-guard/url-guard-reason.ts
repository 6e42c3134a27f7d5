import type { BlockedAddressCategory } from "./classify-address.js";

/** Why a URL or a connection was refused; stable, for logs and metrics. */
export type UrlGuardReason =
  | "invalid_url"
  | "url_too_long"
  | "unsupported_protocol"
  | "http_not_allowed"
  | "credentials_in_url"
  | "invalid_port"
  | "invalid_hostname"
  | "blocked_hostname"
  | "blocked_address"
  | "lookup_failed"
  | "lookup_timeout"
  | "socket_path_not_allowed";

/** A refusal: `message` is safe to show to the client (no addresses, no secrets). */
export interface UrlGuardRefusal {
  readonly ok: false;
  readonly reason: UrlGuardReason;
  readonly message: string;
  /** Set when `reason` is `blocked_address`. */
  readonly category?: BlockedAddressCategory;
}
