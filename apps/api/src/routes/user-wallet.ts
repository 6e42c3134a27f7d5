import { walletBalance } from "@modelfaucet/billing";
import { walletSchema, type Wallet } from "@modelfaucet/contract";
import { formatUsd } from "@modelfaucet/core";
import type { Database } from "@modelfaucet/db";
import { accountIds, listTransfers } from "@modelfaucet/ledger";
import { bearerToken, type RouteContract, withContract, type SessionAuthenticator } from "@modelfaucet/server-kit";
import type { FastifyInstance } from "fastify";
import { balancesToWire } from "../balances-to-wire.js";

const RECENT_TRANSFERS = 20;

const getWallet = {
  summary: "The end user's wallet: balances and the latest movements",
  description: `balance = posted money, available = balance − held; \`recent\`: the last ${RECENT_TRANSFERS} transfers.`,
  auth: "session",
  response: walletSchema,
} satisfies RouteContract;

export interface UserWalletOptions {
  db: Database;
  sessions: SessionAuthenticator;
}

/** `GET /v1/user/wallet` (session): balance = posted, available = balance − held, and the latest movements. */
export async function userWalletRoutes(app: FastifyInstance, { db, sessions }: UserWalletOptions) {
  app.get("/v1/user/wallet", withContract(getWallet), async (request): Promise<Wallet> => {
    const session = await sessions.authenticate(bearerToken(request));
    const accountId = accountIds.user(session.endUserId);
    const [balances, transfers] = await Promise.all([
      walletBalance(db, session.endUserId),
      listTransfers(db, accountId, { limit: RECENT_TRANSFERS }),
    ]);
    return {
      wallet_id: session.endUserId,
      ...balancesToWire(balances),
      recent: transfers.map((transfer) => ({
        id: transfer.id,
        kind: transfer.kind,
        code: transfer.code,
        direction: transfer.debitAccountId === accountId ? "debit" : "credit",
        amount_usd: formatUsd(transfer.amount),
        request_id: transfer.requestId ?? null,
        created_at: transfer.createdAt.toISOString(),
      })),
    };
  });
}
