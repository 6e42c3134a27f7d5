import { ALLOWABLE_ADDRESS_CATEGORIES, classifyAddress, type BlockedAddressCategory } from "./classify-address.js";
import { checkHostname } from "./check-hostname.js";
import {
  toUrlGuardPolicy,
  type ResolvedAddress,
  type UrlGuardOptions,
  type UrlGuardPolicy,
} from "./url-guard-policy.js";
import type { UrlGuardRefusal } from "./url-guard-reason.js";

/** A host whose every address may be connected to. */
export interface ResolvedAndChecked {
  readonly ok: true;
  readonly hostname: string;
  /** Every address the host resolved to, all checked; connect to one of these, never re-resolve. */
  readonly addresses: readonly ResolvedAddress[];
}

/** A refused host; `cause` is the resolver's error when resolution failed. */
export interface ResolveRefusal extends UrlGuardRefusal {
  readonly cause?: unknown;
}

export type ResolveResult = ResolvedAndChecked | ResolveRefusal;

/**
 * The connect-time check: the hostname rules of the store-time check, then
 * DNS resolution (all addresses, bounded by `lookupTimeoutMs`), refusing the
 * host if ANY address is blocked — a resolver that answers one public and
 * one private address must not get a second chance on a retry. Never throws.
 */
export async function resolveAndCheck(
  hostname: string,
  options: UrlGuardOptions | UrlGuardPolicy = {},
): Promise<ResolveResult> {
  const policy = toUrlGuardPolicy(options);
  const verdict = checkHostname(hostname, policy.allowPrivateHosts);
  if (!verdict.ok) return verdict;
  const name = verdict.hostname;
  if (verdict.literal)
    return { ok: true, hostname: name, addresses: [{ address: name, family: name.includes(":") ? 6 : 4 }] };

  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await withTimeout(policy.lookup(name), policy.lookupTimeoutMs);
  } catch (error) {
    if (error instanceof LookupTimeoutError) {
      return {
        ok: false,
        reason: "lookup_timeout",
        message: `Resolving the host took over ${policy.lookupTimeoutMs} ms.`,
      };
    }
    return { ok: false, reason: "lookup_failed", message: "The host could not be resolved.", cause: error };
  }
  if (addresses.length === 0) return { ok: false, reason: "lookup_failed", message: "The host has no address." };

  const allowed = policy.allowPrivateHosts.has(name);
  for (const { address } of addresses) {
    const category = classifyAddress(address);
    if (category === "public") continue;
    if (category !== undefined && allowed && ALLOWABLE_ADDRESS_CATEGORIES.has(category)) continue;
    return blockedResolution(category ?? "reserved");
  }
  return { ok: true, hostname: name, addresses };
}

function blockedResolution(category: BlockedAddressCategory): ResolveRefusal {
  return {
    ok: false,
    reason: "blocked_address",
    category,
    message: `The host resolves to a blocked address (${category}); the cloud side never connects there.`,
  };
}

class LookupTimeoutError extends Error {}

/** `dns.lookup` cannot be cancelled; on timeout its late answer is simply ignored. */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LookupTimeoutError()), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
