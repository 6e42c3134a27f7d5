import { connect, createServer, type Server, type Socket } from "node:net";

/** A TCP relay on `listenPort` to `target`, which a test cuts and restores like stopping and starting the server. */
export interface TcpRelay {
  /** Listens and relays; new connections reach the target. */
  up(): Promise<void>;
  /** Drops every relayed connection and stops listening: new connections are refused. */
  down(): Promise<void>;
}

export function tcpRelay(listenPort: number, target: URL): TcpRelay {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    up: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          const upstream = connect(Number(target.port || 5432), target.hostname);
          for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on("close", () => sockets.delete(socket));
            socket.on("error", () => {
              client.destroy();
              upstream.destroy();
            });
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(listenPort, "127.0.0.1", () => resolve());
      }),
    down: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server?.close(() => resolve());
      }),
  };
}
