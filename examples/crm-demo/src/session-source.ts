import type { SessionGrant } from "@modelfaucet/sdk";

/** A session for the signed-in user from the CRM's own backend, which mints it with the app's secret key. */
export async function fetchSession(): Promise<SessionGrant> {
  const response = await fetch("/api/session", { method: "POST" });
  if (!response.ok) throw new Error(`The CRM could not start an AI session (HTTP ${response.status}).`);
  return (await response.json()) as SessionGrant;
}

/**
 * The page reads one session before it renders (the route picker needs its
 * `availableModes`): the client's first getSession takes that one instead of
 * minting a second; later calls (renewals) ask the backend again.
 */
export function sessionSource(first: SessionGrant): () => Promise<SessionGrant> {
  let unused: SessionGrant | undefined = first;
  return async () => {
    const grant = unused;
    unused = undefined;
    return grant ?? fetchSession();
  };
}
