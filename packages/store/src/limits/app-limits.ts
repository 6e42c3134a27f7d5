import type { Queryable } from "@modelfaucet/db";

/**
 * An active app's stored limits (`apps.limits`, validated with
 * appLimitsSchema on write), unparsed: the reader parses them. Null when the
 * app sets none or is not active.
 */
export async function findAppLimits(q: Queryable, appId: string): Promise<unknown> {
  const { rows } = await q.query<{ limits: unknown }>("SELECT limits FROM apps WHERE id = $1 AND status = 'active'", [
    appId,
  ]);
  return rows[0]?.limits ?? null;
}
