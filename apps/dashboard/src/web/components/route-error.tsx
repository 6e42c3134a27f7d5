import { Link, useRouteError } from "react-router";
import { ErrorNotice } from "./states.js";

/**
 * What a route shows when its page throws or cannot be loaded (a new build
 * replaced the page's file since this tab loaded): the error, and the way on.
 */
export function RouteError() {
  const error = useRouteError();
  return (
    <main id="main" className="not-found">
      <h1>This page could not be shown</h1>
      <ErrorNotice error={error} />
      <p>
        <a href={window.location.pathname + window.location.search}>Reload it</a> or go back to{" "}
        <Link to="/">the console</Link>.
      </p>
    </main>
  );
}
