import type { ConsoleAuthority } from "@modelfaucet/contract";
import type { ReactNode } from "react";
import { Navigate } from "react-router";
import { useConsoleSession } from "../api/console-session.js";
import { homeOf } from "../pages/home-of.js";
import { Loading } from "./states.js";

/** Its children only for a session of one of `authorities`; others go to sign-in or to their own home. */
export function RequireSession({ authorities, children }: { authorities: ConsoleAuthority[]; children: ReactNode }) {
  const { session } = useConsoleSession();
  if (session === undefined) return <Loading label="Checking your session…" />;
  if (session === null) return <Navigate to="/sign-in" replace />;
  if (!authorities.includes(session.authority)) return <Navigate to={homeOf(session.authority)} replace />;
  return <>{children}</>;
}
