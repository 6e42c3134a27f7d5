/**
 * The 2 KB prompt the redaction benchmarks send: a support message holding
 * six personal items (an email, a phone number, a card, an IBAN, an IP
 * address and an order number for the developer pattern ORDER_ID), then
 * ordinary prose.
 */
const PROSE = [
  "Hello support team, I am writing about my last three invoices, which look wrong to me. ",
  "The first one charged the annual plan twice, and the second one kept the old VAT rate. ",
  "Could you check the account history and tell me what happened before the next billing date? ",
  "I have attached screenshots of the dashboard and the emails I received from your system. ",
];
const ITEMS =
  "You can reach me at jane.doe@example.com or +44 20 7946 0958; refunds to DE89 3704 0044 0532 0130 00 " +
  "please, not the card 4111 1111 1111 1111. I last logged in from 203.0.113.7, about order ORD-123456. ";

export const PII_PROMPT_ITEMS = 6;

export function piiPrompt(length = 2048): string {
  return withProse(ITEMS, length);
}

/** The same length of the same prose, without a personal item: what redaction costs when there is nothing to hide. */
export function prosePrompt(length = 2048): string {
  return withProse("", length);
}

function withProse(start: string, length: number): string {
  let prompt = start;
  for (let index = 0; prompt.length < length; index++) prompt += PROSE[index % PROSE.length];
  return prompt.slice(0, length);
}

/** The developer pattern the benchmarks' redacting feature declares. */
export const ORDER_ID_PATTERN = { name: "ORDER_ID", pattern: "ORD-\\d{6}" };

/** One sentence of prose, for answers. */
export const PROSE_SENTENCE = PROSE[0]!;
