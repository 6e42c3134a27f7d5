import { createServer } from "node:http";
import { Pool } from "undici";

// The baseline: a keep-alive Node proxy that forwards every request to the
// mock unchanged. What the Gateway adds is measured against this.
const upstream = process.env.UPSTREAM_URL!;
const port = Number(process.env.PORT);
const pool = new Pool(upstream, { connections: 128, pipelining: 1 });

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    pool
      .request({
        path: request.url!,
        method: request.method as "POST",
        headers: { "content-type": "application/json" },
        body: Buffer.concat(chunks),
      })
      .then(({ statusCode, headers, body }) => {
        response.writeHead(statusCode, { "content-type": String(headers["content-type"] ?? "application/json") });
        body.pipe(response);
      })
      .catch(() => {
        response.writeHead(502).end();
      });
  });
}).listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
