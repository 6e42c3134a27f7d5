import { foldFundedBudget, fundDeveloperKeyBudget, type BudgetFunding } from "@modelfaucet/billing";
import type { ProviderKeyBody } from "@modelfaucet/contract";
import { AppError } from "@modelfaucet/core";
import { type SecretKeyring } from "@modelfaucet/crypto";
import type { Database, Queryable } from "@modelfaucet/db";
import { checkUrlOnStore, type UrlGuardPolicy } from "@modelfaucet/providers";
import {
  appendAuditEntry,
  type AuditActor,
  type ProviderKeyOwner,
  countActiveProviderKeys,
  insertProviderKey,
  MAX_ACTIVE_PROVIDER_KEYS,
  newProviderKeyId,
  revokeProviderKey,
  updateProviderKeyBudget,
  type ProviderKeyRecord,
} from "@modelfaucet/store";
import type { FastifyRequest } from "fastify";
import type { ProviderKeyValidator } from "./validate-provider-key.js";

/** What both provider-key route plugins need. */
export interface ProviderKeyRouteDeps {
  db: Database;
  /** Encrypts new keys with `current`. */
  keyring: SecretKeyring;
  /** Store-time check of base_url (PROVIDER_ALLOW_PRIVATE_HOSTS applied). */
  urlGuard: UrlGuardPolicy;
  /** Called when the body says `validate: true`, before anything is stored. */
  validateProviderKey: ProviderKeyValidator;
}

/** base_url after the store-time URL guard, normalized; refusals are 400s naming base_url. */
function checkedBaseUrl(body: ProviderKeyBody, urlGuard: UrlGuardPolicy): string | null {
  if (body.base_url === undefined) return null;
  if (body.base_url.includes(body.api_key)) {
    throw new AppError("invalid_request", "base_url: must not contain the api_key; send the key as api_key only.");
  }
  const verdict = checkUrlOnStore(body.base_url, urlGuard);
  if (!verdict.ok) throw new AppError("invalid_request", `base_url: ${verdict.message}`);
  const url = new URL(verdict.url);
  if (url.search !== "" || url.hash !== "") {
    throw new AppError("invalid_request", "base_url: must not contain a query or a fragment.");
  }
  return verdict.url;
}

async function audit(
  q: Queryable,
  request: FastifyRequest,
  owner: ProviderKeyOwner,
  action: string,
  key: ProviderKeyRecord,
) {
  // A developer's key is written by a developer token (its id) or the bootstrap token (admin).
  const tokenId = request.developer?.tokenId ?? null;
  const actor: Omit<AuditActor, "requestId"> =
    owner.kind === "end_user"
      ? { actorType: "end_user", actorId: owner.endUserId }
      : tokenId === null
        ? { actorType: "admin", actorId: null }
        : { actorType: "developer", actorId: tokenId };
  await appendAuditEntry(q, {
    ...actor,
    developerId: owner.developerId,
    action,
    resourceType: "provider_key",
    resourceId: key.id,
    requestId: request.id,
    details: { provider: key.provider },
  });
}

/** A developer key's budget account follows its row in the same transaction; a user key has none. */
async function fundBudget(tx: Queryable, request: FastifyRequest, record: ProviderKeyRecord): Promise<BudgetFunding> {
  if (record.owner.kind !== "developer") return { movedUnits: 0n };
  return fundDeveloperKeyBudget(tx, record.id, request.id);
}

/**
 * Stores a provider key for `owner`: base_url through the URL guard, the
 * optional validation call (outside any transaction), then encryption,
 * insert, budget funding (developer keys) and audit entry in one
 * transaction. Returns the record (no secret).
 */
export async function createProviderKey(
  deps: ProviderKeyRouteDeps,
  request: FastifyRequest,
  owner: ProviderKeyOwner,
  body: ProviderKeyBody,
): Promise<ProviderKeyRecord> {
  const baseUrl = checkedBaseUrl(body, deps.urlGuard);
  if (body.validate) {
    const result = await deps.validateProviderKey({ provider: body.provider, apiKey: body.api_key, baseUrl });
    if (!result.ok) {
      request.log.info({ provider: body.provider, reason: result.reason }, "provider key validation failed");
      throw new AppError("secret_validation_failed", `The ${body.provider} key did not validate: ${result.reason}.`);
    }
  }
  const id = newProviderKeyId(owner);
  const { record, funding } = await deps.db.transaction(async (tx) => {
    if ((await countActiveProviderKeys(tx, owner)) >= MAX_ACTIVE_PROVIDER_KEYS) {
      throw new AppError("conflict", `At most ${MAX_ACTIVE_PROVIDER_KEYS} active provider keys; delete one first.`);
    }
    const record = await insertProviderKey(
      tx,
      owner,
      id,
      {
        provider: body.provider,
        apiKey: body.api_key,
        baseUrl,
        modelsAllowed: body.models_allowed ?? null,
        budgetLimitUnits: body.budget_limit_usd ?? null,
        priority: body.priority,
        fallbackToPlatform: body.fallback_to_platform,
      },
      deps.keyring.current,
    );
    await audit(tx, request, owner, "provider_key.create", record);
    return { record, funding: await fundBudget(tx, request, record) };
  });
  await foldFundedBudget(deps.db, funding);
  return record;
}

/** Revokes an owner's key (erasing its secret) with an audit entry; 404 when the owner has no such active key. */
export async function deleteProviderKey(
  db: Database,
  request: FastifyRequest,
  owner: ProviderKeyOwner,
  id: string,
): Promise<ProviderKeyRecord> {
  return db.transaction(async (tx) => {
    const record = await revokeProviderKey(tx, owner, id);
    if (!record) throw new AppError("not_found", "No active provider key with this id.");
    await audit(tx, request, owner, "provider_key.delete", record);
    // What the revoked key's budget has not spent or held goes back to its source.
    await fundBudget(tx, request, record);
    return record;
  });
}

/**
 * Sets (or, with null, removes) a developer key's budget and funds its budget
 * account to match, with an audit entry, in one transaction; 404 when the
 * developer has no such active key.
 */
export async function setDeveloperKeyBudget(
  db: Database,
  request: FastifyRequest,
  owner: ProviderKeyOwner & { kind: "developer" },
  id: string,
  budgetLimitUnits: bigint | null,
): Promise<ProviderKeyRecord> {
  const { record, funding } = await db.transaction(async (tx) => {
    const record = await updateProviderKeyBudget(tx, owner, id, budgetLimitUnits);
    if (!record) throw new AppError("not_found", "No active provider key with this id.");
    await audit(tx, request, owner, "provider_key.update_budget", record);
    return { record, funding: await fundBudget(tx, request, record) };
  });
  await foldFundedBudget(db, funding);
  return record;
}
