import { buildApi } from "@modelfaucet/api";
import type { Database } from "@modelfaucet/db";
import { buildGateway } from "@modelfaucet/gateway";
import { testConfig } from "@modelfaucet/server-kit/testing";
import type { Logger, Redis } from "@modelfaucet/server-kit";
import { createLogger } from "@modelfaucet/server-kit";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

/** The Control API on `db`, built as production builds it, with test settings layered on. */
export function testApi(
  db: Database,
  env: Record<string, string> = {},
  extra: { logger?: Logger; redis?: Redis } = {},
) {
  return buildApi({
    config: testConfig({ ADMIN_TOKEN, ...env }),
    db,
    logger: extra.logger ?? createLogger({ level: "silent" }),
    redis: extra.redis,
  });
}

/** The Gateway on `db`. */
export function testGateway(db: Database, env: Record<string, string> = {}, extra: { logger?: Logger } = {}) {
  return buildGateway({ config: testConfig(env), db, logger: extra.logger ?? createLogger({ level: "silent" }) });
}
