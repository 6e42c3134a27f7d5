import { useState, type FormEvent } from "react";
import { Navigate, useNavigate } from "react-router";
import { useConsoleSession } from "../api/console-session.js";
import { ErrorNotice } from "../components/states.js";
import { homeOf } from "./home-of.js";

/**
 * The token is sent once, to be exchanged for an httpOnly cookie: it is
 * never stored by the page (the field is cleared on success) and never put
 * in a URL.
 */
export function SignInPage() {
  const { session, signIn } = useConsoleSession();
  const navigate = useNavigate();
  const [token, setToken] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (session) return <Navigate to={homeOf(session.authority)} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const signedIn = await signIn(token.trim());
      setToken("");
      await navigate(homeOf(signedIn.authority), { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="sign-in">
      <p className="brand-mark">ModelFaucet</p>
      <h1>Sign in to the console</h1>
      <form className="card" onSubmit={(event) => void submit(event)}>
        <p>
          Paste a developer token (<code>mf_dev_…</code>), the developer admin token or the operator&apos;s admin token.
          It is exchanged for a session cookie and not kept by this page.
        </p>
        <label htmlFor="token">Token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
        <button type="submit" disabled={busy || token.trim() === ""}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {error !== null && <ErrorNotice error={error} title="Could not sign in" />}
      <p className="muted">
        Started with <code>pnpm start</code>? It wrote the operator&apos;s token to{" "}
        <code>.modelfaucet/admin-token</code> and the developer admin token to{" "}
        <code>.modelfaucet/developer-admin-token</code>.
      </p>
    </main>
  );
}
