import type { ConsoleAuthority } from "@modelfaucet/contract";

/** Where a session lands after sign-in. */
export const homeOf = (authority: ConsoleAuthority) => (authority === "operator" ? "/operator" : "/developer");
