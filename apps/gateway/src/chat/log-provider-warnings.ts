import type { ProviderWarning } from "@modelfaucet/providers";
import type { FastifyBaseLogger } from "fastify";

/**
 * Logs the settings an upstream could not honour for one call (the request's
 * logger carries its request_id). At info: the caller chose them, nothing is
 * wrong with the Gateway; they are kept so a changed answer can be explained.
 * Warnings name settings and never quote the caller's content (ProviderWarning).
 */
export function logProviderWarnings(
  log: FastifyBaseLogger,
  providerId: string,
  warnings: readonly ProviderWarning[],
): void {
  if (warnings.length === 0) return;
  log.info({ provider: providerId, warnings }, "the upstream provider could not honour some request settings");
}
