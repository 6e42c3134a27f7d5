import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createStripeClient } from "@modelfaucet/api";

/** A local stand-in for api.stripe.com: records each request, answers like Stripe's Checkout API. */
export interface FakeStripe {
  server: Server;
  requests: Array<{ path: string; headers: IncomingMessage["headers"]; form: URLSearchParams }>;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: FakeStripe["requests"] = [];
  let sessions = 0;
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      requests.push({ path: request.url ?? "", headers: request.headers, form: new URLSearchParams(body) });
      const id = `cs_test_fake${++sessions}`;
      response.writeHead(200, { "content-type": "application/json", "request-id": `req_fake${sessions}` });
      response.end(
        JSON.stringify({
          id,
          object: "checkout.session",
          url: `https://checkout.stripe.test/c/pay/${id}`,
          expires_at: 1_900_000_000,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, requests };
}

/** A Stripe client (test key) that talks to `fake`. */
export function fakeStripeClient(fake: FakeStripe) {
  return createStripeClient("sk_test_fake", {
    host: "127.0.0.1",
    port: (fake.server.address() as AddressInfo).port,
    protocol: "http",
    maxNetworkRetries: 0,
  });
}
