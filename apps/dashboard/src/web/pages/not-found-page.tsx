import { Link } from "react-router";

export function NotFoundPage() {
  return (
    <main id="main" className="not-found">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the console</Link>
      </p>
    </main>
  );
}
