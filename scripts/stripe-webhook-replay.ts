/**
 * `pnpm stripe:webhook:replay`: signs test Stripe events with
 * STRIPE_WEBHOOK_SECRET (as Stripe would, offline) and POSTs them to a local
 * API's /v1/stripe/webhook, to exercise top-ups without a Stripe account.
 *
 *   STRIPE_WEBHOOK_SECRET=whsec_… pnpm stripe:webhook:replay -- --wallet usr_… [--amount 10.00]
 *     [--session cs_test_…] [--top-up top_…] [--refund 4.00] [--times 3] [--url http://127.0.0.1:3001]
 *   STRIPE_WEBHOOK_SECRET=whsec_… pnpm stripe:webhook:replay -- --file events.json
 *
 * --url is the API's base URL; it defaults to API_URL, else to the address
 * the API listens on, from the same HOST and PORT_API it reads (an
 * all-interfaces HOST is reached on loopback).
 *
 * Without --file it sends checkout.session.completed for the wallet (the API
 * adopts a session carrying metadata.end_user_id of a known wallet), then, with
 * --refund, a charge.refunded of that amount. Each event is sent --times times
 * (default 2) to show that a redelivery changes nothing. --file sends a JSON
 * array of event objects as they are.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfig, type Config } from "@modelfaucet/server-kit";
import { signTestEvent } from "@modelfaucet/api/testing";

function fail(message: string): never {
  process.stderr.write(`stripe-webhook-replay: ${message}\n`);
  process.exit(2);
}

// A HOST that means "every interface" is reached on loopback.
const LOOPBACK_FOR: Record<string, string> = { "0.0.0.0": "127.0.0.1", "::": "::1" };

/** Where the local API listens: HOST and PORT_API, read and checked as the API reads them. */
function localApiUrl(): string {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    fail((error as Error).message);
  }
  const host = LOOPBACK_FOR[config.HOST] ?? config.HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.PORT_API}`;
}

const { values } = parseArgs({
  // pnpm forwards a literal "--" before the script's own arguments.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    url: { type: "string" },
    wallet: { type: "string" },
    amount: { type: "string", default: "10.00" },
    session: { type: "string" },
    "top-up": { type: "string" },
    refund: { type: "string" },
    times: { type: "string", default: "2" },
    file: { type: "string" },
  },
});

const apiUrl = values.url ?? process.env.API_URL ?? localApiUrl();
const secret = process.env.STRIPE_WEBHOOK_SECRET;
if (!secret) fail("set STRIPE_WEBHOOK_SECRET to the secret the API verifies with");
const times = Number(values.times);
if (!Number.isInteger(times) || times < 1 || times > 100) fail("--times must be an integer between 1 and 100");

/** "10.50" → 1050 cents; whole cents only. */
function cents(usd: string): number {
  if (!/^\d{1,5}(\.\d{1,2})?$/.test(usd)) fail(`not a USD amount with at most 2 decimals: ${usd}`);
  const [whole, fraction = ""] = usd.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

const suffix = () => randomBytes(8).toString("hex");
const event = (type: string, object: Record<string, unknown>) => ({
  id: `evt_test_replay_${suffix()}`,
  object: "event",
  type,
  livemode: false,
  created: Math.floor(Date.now() / 1000),
  data: { object },
});

function generatedEvents(): object[] {
  if (!values.wallet) fail("pass --wallet usr_… (or --file events.json)");
  const sessionId = values.session ?? `cs_test_replay_${suffix()}`;
  const paymentIntent = `pi_test_replay_${suffix()}`;
  const topUpId = values["top-up"];
  const metadata = { end_user_id: values.wallet, ...(topUpId ? { top_up_id: topUpId } : {}) };
  const amount = cents(values.amount);
  const events: object[] = [
    event("checkout.session.completed", {
      id: sessionId,
      object: "checkout.session",
      payment_status: "paid",
      amount_total: amount,
      currency: "usd",
      client_reference_id: topUpId ?? null,
      metadata,
      payment_intent: paymentIntent,
    }),
  ];
  if (values.refund) {
    events.push(
      event("charge.refunded", {
        id: `ch_test_replay_${suffix()}`,
        object: "charge",
        amount,
        amount_refunded: cents(values.refund),
        currency: "usd",
        payment_intent: paymentIntent,
        metadata,
      }),
    );
  }
  return events;
}

async function send(payload: string): Promise<void> {
  const response = await fetch(`${apiUrl.replace(/\/$/, "")}/v1/stripe/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signTestEvent(payload, secret!) },
    body: payload,
  });
  process.stdout.write(`${response.status} ${await response.text()}\n`);
}

const events = values.file ? (JSON.parse(readFileSync(values.file, "utf8")) as object[]) : generatedEvents();
if (!Array.isArray(events)) fail("--file must hold a JSON array of events");
for (const item of events) {
  const payload = JSON.stringify(item);
  for (let i = 0; i < times; i++) await send(payload);
}
