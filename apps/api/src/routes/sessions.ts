import { openWallet, walletBalanceUsd } from "@modelfaucet/billing";
import { AppError } from "@modelfaucet/core";
import type { SecretKeyring } from "@modelfaucet/crypto";
import type { Database } from "@modelfaucet/db";
import { createSessionBody, sessionGrantSchema } from "@modelfaucet/contract";
import { bearerToken, type RouteContract, withContract } from "@modelfaucet/server-kit";
import { findSessionApp, listActiveFeatures, mintSession, type ActiveFeature } from "@modelfaucet/store";
import type { FastifyInstance } from "fastify";
import { assertSignedByApp } from "../sessions/signed-session-proof.js";

const createSession = {
  summary: "Mint a session for one end user of an app",
  description:
    "A `public` app's id is enough; a `signed` app's backend sends its secret key as the bearer, or a user " +
    "assertion (`user_assertion`, `assertion_expires_at`) made with it. The external user id is stored only hashed.",
  auth: "app",
  body: createSessionBody,
  response: sessionGrantSchema,
} satisfies RouteContract;

// A feature's route preference, as the route modes a client will see used.
const MODE_OF_ROUTE: Record<string, string> = {
  platform_pool: "platform",
  developer_key: "developer_key",
  end_user_byok: "byok",
  local: "local",
};

export interface SessionRoutesOptions {
  db: Database;
  /** Decrypts app secret keys to check user assertions. */
  keyring: SecretKeyring;
  /**
   * Keys of the HMAC under which external user ids are stored: the current one
   * first, then the one it replaced while a master key rotation is under way.
   */
  userIdKeys: Buffer[];
  ttlSeconds: number;
  gatewayBaseUrl: string;
}

/** The route modes a client may see used under the app's active features (or the one it names). */
function availableModes(features: ActiveFeature[], featureKey: string | undefined): string[] {
  const named = featureKey ? features.filter((feature) => feature.featureKey === featureKey) : features;
  if (featureKey && named.length === 0)
    throw new AppError("feature_not_found", `No feature "${featureKey}" in this app.`);
  const modes = new Set(
    named.flatMap((feature) => feature.policy.route_preference).map((route) => MODE_OF_ROUTE[route]),
  );
  return [...modes].filter((mode): mode is string => mode !== undefined);
}

/** `POST /v1/sessions`: an app's backend (or, for public apps, its client) mints a session for one end user. */
export async function sessionRoutes(app: FastifyInstance, options: SessionRoutesOptions) {
  const { db } = options;

  app.post("/v1/sessions", withContract(createSession), async (request, reply) => {
    const body = createSession.body.parse(request.body);
    const appRow = await findSessionApp(db, body.public_app_id);
    if (appRow.sessionMode === "signed") {
      await assertSignedByApp(db, options.keyring, {
        appId: appRow.id,
        externalUserId: body.external_user_id,
        bearer: bearerToken(request),
        assertion:
          body.user_assertion === undefined || body.assertion_expires_at === undefined
            ? undefined
            : { signature: body.user_assertion, expiresAtSeconds: body.assertion_expires_at },
      });
    }
    const modes = availableModes(await listActiveFeatures(db, appRow.id), body.feature_key);
    // The end user's wallet is opened in the session's transaction, so a session never lacks one.
    const { token, endUserId } = await mintSession(
      db,
      {
        appId: appRow.id,
        externalUserId: body.external_user_id,
        userIdKeys: options.userIdKeys,
        featureKey: body.feature_key ?? null,
        metadata: body.metadata ?? {},
        ttlSeconds: options.ttlSeconds,
      },
      openWallet,
    );

    // 200, not 201: like an OAuth token endpoint, this hands out a credential.
    return reply.code(200).send({
      session_token: token,
      expires_in: options.ttlSeconds,
      gateway_base_url: options.gatewayBaseUrl,
      available_modes: modes,
      wallet_balance_usd: await walletBalanceUsd(db, endUserId),
    });
  });
}
