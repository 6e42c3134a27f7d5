/** One column of an export: its header and how a row's cell reads. */
export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | null | undefined;
}

const quote = (cell: string) =>
  /[",\n\r]/.test(cell) || /^[=+\-@\t]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;

/**
 * RFC 4180 text of `rows`. A cell that a spreadsheet would read as a formula
 * (=, +, -, @) is quoted so it stays text; money keeps its exact 8 decimals.
 */
export function toCsv<Row>(rows: readonly Row[], columns: readonly CsvColumn<Row>[]): string {
  const lines = [columns.map((column) => quote(column.header)).join(",")];
  for (const row of rows) lines.push(columns.map((column) => quote(String(column.value(row) ?? ""))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** Saves `text` as a file named `name` through a temporary link. */
export function downloadText(name: string, text: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
