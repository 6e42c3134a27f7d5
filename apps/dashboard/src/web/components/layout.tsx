import type { ConsoleAuthority } from "@modelfaucet/contract";
import { Suspense, useState, type FormEvent } from "react";
import { NavLink, Outlet, useNavigate } from "react-router";
import { useActingDeveloper } from "../api/acting-developer.js";
import { useConsoleSession } from "../api/console-session.js";
import { Loading } from "./states.js";

const DEVELOPER_NAV = [
  { to: "/developer", label: "Overview", end: true },
  { to: "/developer/apps", label: "Apps & features" },
  { to: "/developer/keys", label: "Keys & tokens" },
  { to: "/developer/usage", label: "Usage" },
  { to: "/developer/revenue", label: "Revenue & payouts" },
];

const OPERATOR_NAV = [
  { to: "/operator", label: "Overview", end: true },
  { to: "/operator/developers", label: "Developers" },
  { to: "/operator/wallets", label: "Wallets" },
  { to: "/operator/payouts", label: "Payouts" },
  { to: "/operator/reconciliation", label: "Reconciliation" },
  { to: "/operator/catalog", label: "Model catalog" },
  { to: "/operator/audit", label: "Audit log" },
];

const AUTHORITY_LABEL: Record<ConsoleAuthority, string> = {
  developer: "Developer",
  developer_admin: "Developer admin",
  operator: "Operator",
};

/** The signed-in shell: skip link, header with who is signed in and sign-out, navigation, the page. */
export function Layout() {
  const { session, signOut } = useConsoleSession();
  const navigate = useNavigate();
  const nav = session?.authority === "operator" ? OPERATOR_NAV : DEVELOPER_NAV;
  const out = async () => {
    await signOut();
    await navigate("/sign-in");
  };
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">ModelFaucet</span>
        {session && (
          <span className="who">
            {AUTHORITY_LABEL[session.authority]}
            {session.developer_id ? ` · ${session.developer_id}` : ""}
          </span>
        )}
        <DeveloperPicker />
        <button type="button" className="secondary" onClick={() => void out()}>
          Sign out
        </button>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {nav.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end ?? false}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading label="Loading the page…" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

/** A developer-admin session names the developer it acts for. */
function DeveloperPicker() {
  const { developerId, choose } = useActingDeveloper();
  const [draft, setDraft] = useState(developerId ?? "");
  if (!choose) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    choose(draft.trim() || null);
  };
  return (
    <form className="picker" onSubmit={submit}>
      <label htmlFor="acting-developer">Act for developer</label>
      <input
        id="acting-developer"
        value={draft}
        placeholder="dev_…"
        onChange={(event) => setDraft(event.target.value)}
      />
      <button type="submit">Apply</button>
    </form>
  );
}
