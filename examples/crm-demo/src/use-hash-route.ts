import { useSyncExternalStore } from "react";

export const PAGES = ["inbox", "contacts", "deals", "search"] as const;
export type Page = (typeof PAGES)[number];

const subscribe = (onChange: () => void) => {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
};

/** `#/inbox/t_1042` → `{ page: "inbox", id: "t_1042" }`; anything unknown is the inbox. */
export function useHashRoute(): { page: Page; id: string | undefined } {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const [, first, id] = hash.split("/");
  const page = PAGES.find((candidate) => candidate === first) ?? "inbox";
  return { page, id: id === undefined || id === "" ? undefined : decodeURIComponent(id) };
}

export const hrefOf = (page: Page, id?: string) => `#/${page}${id === undefined ? "" : `/${encodeURIComponent(id)}`}`;
