/** Rows and the number of rows a statement touched. */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/**
 * Anything that runs SQL: the database itself or an open transaction.
 * Parameters are positional (`$1`, `$2`, …). Values come back the same way on
 * both adapters: int8 and numeric as strings (never lossy JS numbers),
 * timestamptz as Date, json/jsonb parsed.
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type DatabaseKind = "postgres" | "embedded";

/** A pooled PostgreSQL or an embedded PGlite database behind one interface. */
export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /**
   * Runs `work` in one transaction: committed if it resolves, rolled back if it
   * throws. Never hold one open across a network call to anything but the database.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
