/** The prefix of a local ticket as it travels (`mf_lt_…`): a bearer credential for one usage report. */
export const LOCAL_TICKET_PREFIX = "mf_lt_";

/** How long tickets live, seconds. */
export interface LocalTicketSettings {
  /** A ticket is for a call made within this time of its issue (`expires_at`). */
  ttlSeconds: number;
  /** Its report is still accepted this long after `expires_at`: a bridge's queued report lands after an outage. */
  graceSeconds: number;
}

/**
 * How much longer than the grace period the ledger keeps a ticket's hold.
 * The worker releases an unreported ticket's hold once the grace period is
 * over (releaseUnreportedLocalTickets); the ledger's own hold expiry is only
 * the backstop, so it must never come first and refuse a report the API
 * accepted.
 */
const HOLD_BACKSTOP_SECONDS = 3600;

/** The ledger timeout of a ticket's hold. */
export function localHoldTimeoutSeconds(settings: LocalTicketSettings): number {
  return settings.ttlSeconds + settings.graceSeconds + HOLD_BACKSTOP_SECONDS;
}
