// The sources of the test app's pages, as an app developer would write them
// against the packed @modelfaucet/sdk and @modelfaucet/react. The components
// are unstyled; this page styles them through `className` and `data-state`.

const STYLE = `
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
  main { max-width: 720px; margin: 24px auto; padding: 20px 24px; background: #fff; border-radius: 10px;
         box-shadow: 0 1px 3px #0002; }
  header { display: flex; justify-content: space-between; align-items: center; }
  h1 { font-size: 18px; margin: 0; }
  .wallet { font-weight: 600; padding: 4px 10px; border-radius: 999px; background: #e8f3ec; color: #14532d; }
  .wallet[data-state="loading"] { background: #eee; color: #666; }
  .routes { border: 1px solid #dde; border-radius: 8px; margin: 14px 0; display: flex; gap: 16px; flex-wrap: wrap; }
  .routes [data-state="unavailable"] { color: #8a8f99; }
  .message { margin: 10px 0; padding: 8px 12px; border-radius: 8px; }
  .message.user { background: #eef2ff; }
  .message.assistant { background: #f3f4f6; }
  .content { margin: 0; white-space: pre-wrap; }
  .usage { margin: 4px 0 0; font-size: 12px; color: #59606d; }
  .usage[data-state="stopped"] { color: #9a3412; }
  .notice { border: 1px solid #f59e0b; background: #fffbeb; border-radius: 8px; padding: 8px 12px; margin: 10px 0; }
  .composer { display: flex; gap: 8px; margin: 12px 0; }
  .composer input { flex: 1; padding: 6px 8px; }
  .byok { border-top: 1px solid #e5e7eb; margin-top: 16px; padding-top: 8px; display: grid; gap: 4px;
          grid-template-columns: max-content 1fr; align-items: center; }
  .byok > p, .byok > ul, .byok > button { grid-column: 1 / -1; }
  .byok[data-state="saved"] [role="status"] { color: #14532d; }
`;

/** README's block is run as written, unstyled: the page gives it a margin and a font, no more. */
const README_STYLE = "body { font: 15px/1.4 system-ui, sans-serif; margin: 24px; }";

const html = (title: string, entry: string, style: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="data:," />
    <style>${style}</style>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="./${entry}"></script>
  </body>
</html>
`;

/**
 * A chat page using every public component: the feature comes from `?feature=`
 * (the page asks the app's `/session` for a session of that feature), and
 * the first grant's `availableModes` feed the RouteModePicker. Each message
 * carries its request id and exact price as data attributes for the test.
 */
const mainJsx = (apiUrl: string) => `
import { createFaucet } from "@modelfaucet/sdk";
import {
  ByokKeyForm,
  FaucetProvider,
  InsufficientBalanceNotice,
  RouteModePicker,
  UsageFooter,
  WalletBadge,
  useChat,
} from "@modelfaucet/react";
import { useState } from "react";
import { createRoot } from "react-dom/client";

const feature = new URLSearchParams(location.search).get("feature") ?? "chat";
const session = () => fetch("/session?feature=" + feature).then((response) => response.json());

function Chat({ availableModes }) {
  const [route, setRoute] = useState("auto");
  const { messages, status, send, stop } = useChat({ feature, route });
  function submit(event) {
    event.preventDefault();
    const prompt = event.currentTarget.elements.prompt;
    void send(prompt.value);
    prompt.value = "";
  }
  return (
    <main data-status={status}>
      <header>
        <h1>Assistant</h1>
        <WalletBadge className="wallet" />
      </header>
      <RouteModePicker className="routes" availableModes={availableModes} value={route} onChange={setRoute} />
      <section className="messages">
        {messages.map((message) => (
          <article
            key={message.id}
            className={"message " + message.role}
            data-request-id={message.request_id}
            data-price={message.price_usd ?? ""}
          >
            <p className="content">{message.content}</p>
            <UsageFooter className="usage" message={message} />
          </article>
        ))}
      </section>
      <InsufficientBalanceNotice className="notice" onCheckout={(url) => (document.body.dataset.checkout = url)} />
      <form className="composer" onSubmit={submit}>
        <input name="prompt" aria-label="Message" autoComplete="off" />
        <button type="submit">Send</button>
        <button type="button" onClick={stop} disabled={status !== "submitted" && status !== "streaming"}>
          Stop
        </button>
      </form>
      <ByokKeyForm className="byok" providers={["openai", "anthropic"]} />
    </main>
  );
}

async function start() {
  // The first grant says which route modes the picker offers; the client starts with it.
  const first = await session();
  let unused = first;
  const faucet = createFaucet({
    apiBaseUrl: ${JSON.stringify(apiUrl)},
    getSession: async () => {
      const grant = unused ?? (await session());
      unused = undefined;
      return grant;
    },
  });
  createRoot(document.getElementById("root")).render(
    <FaucetProvider client={faucet}>
      <Chat availableModes={first.availableModes} />
    </FaucetProvider>,
  );
}
void start();
`;

/** The files of the test app: `index.html` (the chat page) and `readme.html` (README's React block, as given). */
export function testAppFiles(apiUrl: string, readmeJsx: string): Record<string, string> {
  return {
    "index.html": html("Assistant", "main.jsx", STYLE),
    "main.jsx": mainJsx(apiUrl),
    "readme.html": html("README example", "readme.jsx", README_STYLE),
    "readme.jsx": readmeJsx,
  };
}
