import { FaucetProvider } from "@modelfaucet/react";
import { createFaucet } from "@modelfaucet/sdk";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AiRouteProvider } from "./ai/ai-route.js";
import { App } from "./app.js";
import { CrmProvider } from "./crm/crm-store.js";
import type { PageConfig } from "./page-config.js";
import { fetchSession, sessionSource } from "./session-source.js";
import "./styles.css";

async function start(root: HTMLElement) {
  const config = (await (await fetch("/api/config")).json()) as PageConfig;
  const first = await fetchSession();
  // One client for the page's life, created outside render as FaucetProvider asks.
  const client = createFaucet({
    apiBaseUrl: config.apiBaseUrl,
    localBridgeUrl: config.localBridgeUrl ?? undefined,
    getSession: sessionSource(first),
  });
  createRoot(root).render(
    <StrictMode>
      <FaucetProvider client={client}>
        <AiRouteProvider availableModes={first.availableModes}>
          <CrmProvider>
            <App userName={config.user.name} />
          </CrmProvider>
        </AiRouteProvider>
      </FaucetProvider>
    </StrictMode>,
  );
}

const root = document.getElementById("root")!;
start(root).catch((error: Error) => {
  root.textContent = "";
  const message = document.createElement("p");
  message.className = "boot-error";
  message.textContent = `The CRM could not start: ${error.message}`;
  root.append(message);
});
