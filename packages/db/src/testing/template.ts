/** What the global setup hands every test file so it can make its own database. */
export type TestDatabaseTemplate =
  | { kind: "embedded"; templateFile: string }
  | { kind: "postgres"; adminUrl: string; templateName: string; runId: string };

/** Name of a database on the server at `url`, replaced. */
export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export const TEST_DATABASE_PREFIX = "mft_";
