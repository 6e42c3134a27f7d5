import type { ConsoleSession } from "@modelfaucet/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";
import { api, setCsrfToken } from "./api-client.js";

const SESSION_KEY = ["console-session"] as const;

interface SessionState {
  /** undefined while the first check runs; null when signed out. */
  session: ConsoleSession | null | undefined;
  signIn(token: string): Promise<ConsoleSession>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** The cookie's session, or null: the API answers 204 when there is no live one. */
async function currentSession(): Promise<ConsoleSession | null> {
  const session = (await api<ConsoleSession | undefined>("/v1/console/session")) ?? null;
  setCsrfToken(session?.csrf_token ?? null);
  return session;
}

/**
 * Who is signed in: asked of the API once (the cookie is httpOnly, so the
 * page cannot read it), then kept by react-query. Any 401 from a later call
 * means the session ended: the cache is dropped and the sign-in page shows.
 */
export function ConsoleSessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const { data, error } = useQuery({ queryKey: SESSION_KEY, queryFn: currentSession, staleTime: Infinity });
  const signIn = useMutation({
    mutationFn: (token: string) => api<ConsoleSession>("/v1/console/sessions", { method: "POST", body: { token } }),
    onSuccess: (session) => {
      setCsrfToken(session.csrf_token);
      client.clear();
      client.setQueryData(SESSION_KEY, session);
    },
  });
  const signOut = useMutation({
    mutationFn: () => api<void>("/v1/console/session", { method: "DELETE" }),
    onSettled: () => {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(SESSION_KEY, null);
    },
  });
  if (error) throw error;
  const state: SessionState = {
    session: data,
    signIn: (token) => signIn.mutateAsync(token),
    signOut: () => signOut.mutateAsync(),
  };
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useConsoleSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useConsoleSession outside ConsoleSessionProvider");
  return state;
}

/** Marks the session as ended after a 401 anywhere: the app shows the sign-in page. */
export function sessionEnded(client: ReturnType<typeof useQueryClient>): void {
  setCsrfToken(null);
  client.setQueryData(SESSION_KEY, null);
}
