// The demo model's answers: written from the request's own text by a few
// rules, so each CRM feature gets an answer of its kind (a reply, bullets,
// JSON) without a real model. Not intelligent, and not meant to be.

interface Message {
  role: string;
  content: string;
}

const ORDER_NUMBER = /\b[A-Z]{2,4}-\d{3,}\b/g;
const NEGATIVE = /\b(not acceptable|unhappy|stuck|wrong|twice|blank|refund|hard to argue|no update)\b/i;
const POSITIVE = /\b(thank|brilliant|love|great|happy)\b/i;
const URGENT = /\b(today|asap|urgent|before \d|right now|stuck)\b/i;

/** The customer's name and the thread's subject and text, read back from the prompt the CRM builds. */
function readThread(text: string) {
  const subject = /^Ticket \S+: (.+)$/m.exec(text)?.[1] ?? "your request";
  const speakers = text.matchAll(/^\[[^\]]+\] ([^(:\n]+?)(?: \(([^)]*)\))?:$/gm);
  const customer = [...speakers].find((speaker) => speaker[1] !== "Support");
  const name = customer?.[1]?.trim() ?? "there";
  const company = customer?.[2]?.split(",").at(-1)?.trim() ?? null;
  return { subject, name, firstName: name.split(" ")[0] ?? name, company };
}

function reply(thread: string): string {
  const { subject, firstName } = readThread(thread);
  const orders = [...new Set(thread.match(ORDER_NUMBER) ?? [])];
  const orderLine =
    orders.length > 0 ? ` I have the affected orders (${orders.slice(0, 3).join(", ")}…) in front of me.` : "";
  const tone = NEGATIVE.test(thread)
    ? "I'm sorry for the trouble this has caused, and thank you for your patience."
    : "Thanks for reaching out.";
  return (
    `Hi ${firstName},\n\n${tone} About "${subject.toLowerCase()}":${orderLine} ` +
    "I've asked the right team to look at it now and will write back today with what we found and the next step. " +
    "If anything changes on your side in the meantime, just reply here.\n\nBest regards,\nThe Parcelly team"
  );
}

function summary(thread: string): string {
  const { subject, name } = readThread(thread);
  const messages = thread.split("\n\n").filter((block) => /^\[/.test(block));
  const supportReplied = messages.some((block) => /\] Support:/.test(block));
  return [
    `• ${name} needs help with: ${subject.toLowerCase()}.`,
    `• So far: ${messages.length} message${messages.length === 1 ? "" : "s"}; ${supportReplied ? "support has replied" : "no reply from support yet"}.`,
    `• Next: ${NEGATIVE.test(thread) ? "fix the cause and confirm in writing today" : "answer the question and close the ticket"}.`,
  ].join("\n");
}

function fields(thread: string): string {
  const { name, company, subject } = readThread(thread);
  const orders = [...new Set([...(thread.match(ORDER_NUMBER) ?? []), ...(thread.match(/\bINV-\d+\b/g) ?? [])])];
  return JSON.stringify({
    customer_name: name,
    company,
    order_numbers: orders,
    product: subject,
    sentiment: NEGATIVE.test(thread) ? "negative" : POSITIVE.test(thread) ? "positive" : "neutral",
    urgency: URGENT.test(thread) ? "high" : NEGATIVE.test(thread) ? "normal" : "low",
    requested_action: /\?/.test(thread) ? "answer the customer's question" : "acknowledge and follow up",
  });
}

/** The whole answer to a chat request, picked by what its system message asks for. */
export function scriptedReply(messages: readonly Message[]): string {
  const system = messages.find((message) => message.role === "system")?.content ?? "";
  const user = messages.findLast((message) => message.role === "user")?.content ?? "";
  if (/extract structured data/i.test(system)) return fields(user);
  if (/summarize/i.test(system)) return summary(user);
  if (/draft the next reply/i.test(system)) return reply(user);
  return `This is the CRM demo's scripted model. You said: "${user.slice(0, 200)}"`;
}
