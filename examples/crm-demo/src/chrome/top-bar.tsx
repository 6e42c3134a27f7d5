import { TopUpButton, WalletBadge } from "@modelfaucet/react";
import { useAiRoute } from "../ai/ai-route.js";
import { hrefOf, type Page } from "../use-hash-route.js";
import { BridgeStatus } from "./bridge-status.js";
import { ROUTE_NAMES } from "./route-names.js";

const NAV: Array<[Page, string]> = [
  ["inbox", "Inbox"],
  ["contacts", "Contacts"],
  ["deals", "Deals"],
  ["search", "Search"],
];

export function TopBar({ page, userName, onOpenSettings }: { page: Page; userName: string; onOpenSettings(): void }) {
  const { route } = useAiRoute();
  const initials = userName
    .split(" ")
    .map((part) => part[0])
    .join("");
  return (
    <header className="top-bar">
      <a className="brand" href={hrefOf("inbox")}>
        <span className="brand-mark" aria-hidden="true">
          P
        </span>
        Parcelly CRM
      </a>
      <nav aria-label="CRM">
        {NAV.map(([target, label]) => (
          <a key={target} href={hrefOf(target)} aria-current={page === target ? "page" : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <div className="top-bar-tools">
        <BridgeStatus />
        <button type="button" className="route-chip" onClick={onOpenSettings} aria-haspopup="dialog">
          AI: {ROUTE_NAMES[route]}
        </button>
        <WalletBadge className="wallet-badge" label="Credits" />
        <span className="top-up">
          <TopUpButton className="button button-small" amountUsd="10.00" />
        </span>
        <span className="avatar" title={userName} aria-label={`Signed in as ${userName}`}>
          {initials}
        </span>
      </div>
    </header>
  );
}
