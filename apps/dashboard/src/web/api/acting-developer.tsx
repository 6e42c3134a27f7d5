import { createContext, useContext, useState, type ReactNode } from "react";
import { useConsoleSession } from "./console-session.js";

interface ActingDeveloper {
  /** The developer whose data developer pages show; null while a developer-admin session has named none. */
  developerId: string | null;
  /** What developer routes need besides the cookie: `developer_id` for a developer-admin session, nothing otherwise. */
  query: { developer_id?: string };
  /** Only for developer-admin sessions, which act for any developer. */
  choose: ((developerId: string | null) => void) | null;
}

const ActingContext = createContext<ActingDeveloper | null>(null);

/**
 * Whose data the developer pages show: a developer session's own developer,
 * or the one a developer-admin session (DEVELOPER_ADMIN_TOKEN) names.
 */
export function ActingDeveloperProvider({ children }: { children: ReactNode }) {
  const { session } = useConsoleSession();
  const [chosen, setChosen] = useState<string | null>(null);
  const admin = session?.authority === "developer_admin";
  const developerId = admin ? chosen : (session?.developer_id ?? null);
  const value: ActingDeveloper = {
    developerId,
    query: admin && chosen ? { developer_id: chosen } : {},
    choose: admin ? setChosen : null,
  };
  return <ActingContext.Provider value={value}>{children}</ActingContext.Provider>;
}

export function useActingDeveloper(): ActingDeveloper {
  const value = useContext(ActingContext);
  if (!value) throw new Error("useActingDeveloper outside ActingDeveloperProvider");
  return value;
}
