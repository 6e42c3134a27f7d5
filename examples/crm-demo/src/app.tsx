import { InsufficientBalanceNotice } from "@modelfaucet/react";
import { useState } from "react";
import { AiSettings } from "./chrome/ai-settings.js";
import { TopBar } from "./chrome/top-bar.js";
import { ContactsPage } from "./contacts/contacts-page.js";
import { DealsPage } from "./deals/deals-page.js";
import { InboxPage } from "./inbox/inbox-page.js";
import { SearchPage } from "./search/search-page.js";
import { useHashRoute } from "./use-hash-route.js";

export function App({ userName }: { userName: string }) {
  const { page, id } = useHashRoute();
  const [settingsOpen, setSettingsOpen] = useState(false);
  return (
    <div className="shell">
      <TopBar page={page} userName={userName} onOpenSettings={() => setSettingsOpen((open) => !open)} />
      <InsufficientBalanceNotice className="notice" />
      <main className="page">
        {page === "inbox" && <InboxPage ticketId={id} />}
        {page === "contacts" && <ContactsPage contactId={id} />}
        {page === "deals" && <DealsPage />}
        {page === "search" && <SearchPage />}
      </main>
      {settingsOpen && <AiSettings onClose={() => setSettingsOpen(false)} />}
    </div>
  );
}
