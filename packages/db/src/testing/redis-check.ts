import { connect } from "node:net";

/** Fails loudly when TEST_REDIS_URL points at a server that is not there. */
export function assertRedisReachable(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port || 6379) });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`TEST_REDIS_URL is set but Redis cannot be reached: ${reason}`));
    };
    socket.setTimeout(3000, () => fail("timeout"));
    socket.on("error", (error) => fail(error.message));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => {
      socket.destroy();
      if (data.toString().startsWith("+PONG")) resolve();
      else reject(new Error(`TEST_REDIS_URL answered ${JSON.stringify(data.toString().trim())} to PING`));
    });
  });
}
