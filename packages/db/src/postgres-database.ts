import { createHash } from "node:crypto";
import pg from "pg";
import type { Database, QueryResult, Queryable } from "./database.js";
import { asDatabaseError } from "./database-unavailable.js";

export interface PostgresOptions {
  url: string;
  /** Largest number of pooled connections. */
  poolMax?: number;
  /** How long to wait for a new connection before failing the query. */
  connectTimeoutMs?: number;
  /**
   * Called for errors on idle connections (e.g. PostgreSQL restarted). The pool
   * drops such connections and opens new ones on demand; without a listener
   * Node would crash the process on the unhandled 'error' event.
   */
  onPoolError?: (error: Error) => void;
}

// Distinct statements prepared by name on each connection, at most: beyond it
// (e.g. bulk inserts of many shapes) statements run unnamed, as usual.
const MAX_NAMED_STATEMENTS = 500;

/**
 * Names statements after a hash of their text so PostgreSQL parses and plans
 * each once per connection instead of on every call — most of the database's
 * CPU on the Gateway's hot path otherwise.
 */
function statementNamer() {
  const names = new Map<string, string>();
  return (text: string): string | undefined => {
    const known = names.get(text);
    if (known !== undefined || names.size >= MAX_NAMED_STATEMENTS) return known;
    const name = `mf_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
    names.set(text, name);
    return name;
  };
}

// A lost or refused connection surfaces as DatabaseUnavailableError (a 503 to
// clients), whichever statement met it.
function rethrowAsDatabaseError(error: unknown): never {
  throw asDatabaseError(error);
}

export function openPostgres(options: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
  });
  const onPoolError = options.onPoolError ?? (() => {});
  pool.on("error", onPoolError);

  const nameOf = statementNamer();
  const statement = (text: string, params?: readonly unknown[]) => {
    const name = nameOf(text);
    return { text, values: (params ?? []) as unknown[], ...(name ? { name } : {}) };
  };

  async function query<Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    const result = await pool.query(statement(sql, params)).catch(rethrowAsDatabaseError);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  }

  async function transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect().catch(rethrowAsDatabaseError);
    // A checked-out client has no pool listener; a connection lost between two
    // statements of this transaction must reject the work, not crash the process.
    let lost: Error | undefined;
    const onClientError = (error: Error): void => {
      lost = error;
      onPoolError(error);
    };
    client.on("error", onClientError);
    const tx: Queryable = {
      async query<Row>(sql: string, params?: readonly unknown[]) {
        const result = await client.query(statement(sql, params));
        return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
      },
      async exec(sql: string) {
        await client.query(sql);
      },
    };
    try {
      await client.query("BEGIN");
      const value = await work(tx);
      await client.query("COMMIT");
      return value;
    } catch (error) {
      if (!lost) {
        // A failed ROLLBACK means the connection is broken: destroy it, do not pool it.
        await client.query("ROLLBACK").catch((rollbackError: Error) => {
          lost = rollbackError;
        });
      }
      throw asDatabaseError(error);
    } finally {
      client.off("error", onClientError);
      client.release(lost);
    }
  }

  return {
    kind: "postgres",
    query,
    async exec(sql: string) {
      await pool.query(sql).catch(rethrowAsDatabaseError);
    },
    transaction,
    close: () => pool.end(),
  };
}
