import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseUnavailableError, isConnectionFailure, isDatabaseUnavailable } from "./database-unavailable.js";
import { openPostgres } from "./postgres-database.js";

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A TCP server on a free port that does `onSocket` with each connection instead of speaking PostgreSQL. */
async function fakeServer(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    onSocket(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const port = await fakeServer(() => {});
  await new Promise((resolve) => servers.pop()!.close(resolve));
  return port;
}

async function failureOf(port: number, use: "query" | "transaction"): Promise<unknown> {
  const db = openPostgres({ url: `postgres://mf@127.0.0.1:${port}/x`, poolMax: 1, connectTimeoutMs: 300 });
  try {
    if (use === "query") await db.query("SELECT 1");
    else await db.transaction((tx) => tx.query("SELECT 1"));
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await db.close();
  }
}

describe("a PostgreSQL that cannot serve", () => {
  it.each(["query", "transaction"] as const)(
    "is DatabaseUnavailableError on %s: refused, reset, silent",
    async (use) => {
      const refused = await failureOf(await closedPort(), use);
      const reset = await failureOf(await fakeServer((socket) => socket.resetAndDestroy()), use);
      const hangsUp = await failureOf(await fakeServer((socket) => socket.end()), use);
      const silent = await failureOf(await fakeServer(() => {}), use);
      for (const error of [refused, reset, hangsUp, silent]) {
        expect(error).toBeInstanceOf(DatabaseUnavailableError);
        expect(isDatabaseUnavailable(error)).toBe(true);
      }
    },
  );
});

describe("isConnectionFailure", () => {
  const coded = (code: string) => Object.assign(new Error("x"), { code });

  it("knows the server's shutdown, connection-exception and no-slot SQLSTATEs", () => {
    for (const code of ["57P01", "57P02", "57P03", "53300", "08000", "08003", "08006", "08001", "08P01"]) {
      expect(isConnectionFailure(coded(code)), code).toBe(true);
    }
  });

  it("leaves errors of the query itself alone", () => {
    for (const code of ["23505", "40001", "42P01", "22P02", "MF001", "ENOENT"]) {
      expect(isConnectionFailure(coded(code)), code).toBe(false);
    }
    for (const value of [new Error("syntax error"), null, undefined, "ECONNREFUSED", 42]) {
      expect(isConnectionFailure(value)).toBe(false);
    }
  });

  it("looks through causes and AggregateErrors, and stops on a cyclic chain", () => {
    expect(isConnectionFailure(new Error("wrapped", { cause: coded("ECONNRESET") }))).toBe(true);
    expect(isConnectionFailure(new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")]))).toBe(true);
    const cyclic = new Error("a") as Error & { cause?: unknown };
    cyclic.cause = cyclic;
    expect(isConnectionFailure(cyclic)).toBe(false);
  });

  it("isDatabaseUnavailable finds the adapter's error under a wrapper", () => {
    const unavailable = new DatabaseUnavailableError(coded("ECONNREFUSED"));
    expect(isDatabaseUnavailable(new Error("while settling", { cause: unavailable }))).toBe(true);
    expect(isDatabaseUnavailable(coded("ECONNREFUSED"))).toBe(false);
  });
});
