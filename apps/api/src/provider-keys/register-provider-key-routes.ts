import type { Database } from "@modelfaucet/db";
import { createUrlGuardPolicy, parseAllowPrivateHosts } from "@modelfaucet/providers";
import {
  type Config,
  type DeveloperAuthenticator,
  type Logger,
  type SessionAuthenticator,
  secretKeyringFromConfig,
} from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { developerProviderKeysRoutes } from "../routes/developer-provider-keys.js";
import { userProviderKeysRoutes } from "../routes/user-provider-keys.js";
import { createProviderKeyValidator, type ProviderKeyValidator } from "./validate-provider-key.js";

export interface ProviderKeyRoutesSetup {
  config: Config;
  db: Database;
  logger: Logger;
  sessions: SessionAuthenticator;
  /** Authenticates `/v1/developer/provider-keys` (developer tokens or DEVELOPER_ADMIN_TOKEN). */
  developerAuth: DeveloperAuthenticator;
  /** Replaces the real validation call (tests). Default: a URL-guarded GET to the provider. */
  validateProviderKey?: ProviderKeyValidator | undefined;
}

/**
 * Registers `/v1/user/provider-keys` and `/v1/developer/provider-keys` with
 * what they share, parsed once from config: the secret keyring, the URL guard
 * (PROVIDER_ALLOW_PRIVATE_HOSTS, logged here at boot; an invalid entry fails
 * start-up naming the variable) and the validator, whose connections close
 * with the app.
 */
export async function registerProviderKeyRoutes(app: FastifyInstance, setup: ProviderKeyRoutesSetup): Promise<void> {
  const { config, db, logger } = setup;
  const allowPrivateHosts = parseAllowPrivateHosts(config.PROVIDER_ALLOW_PRIVATE_HOSTS);
  if (allowPrivateHosts.length > 0) {
    logger.warn(
      { hosts: allowPrivateHosts },
      "PROVIDER_ALLOW_PRIVATE_HOSTS: these private hosts may be provider base URLs",
    );
  }
  const keyring = secretKeyringFromConfig(config);
  let validateProviderKey = setup.validateProviderKey;
  if (validateProviderKey === undefined) {
    const validator = createProviderKeyValidator({ allowPrivateHosts });
    app.addHook("onClose", () => validator.close());
    validateProviderKey = validator.validate;
  }
  const deps = { db, keyring, urlGuard: createUrlGuardPolicy({ allowPrivateHosts }), validateProviderKey };
  await app.register(userProviderKeysRoutes, { ...deps, sessions: setup.sessions });
  await app.register(developerProviderKeysRoutes, { ...deps, auth: setup.developerAuth });
}
