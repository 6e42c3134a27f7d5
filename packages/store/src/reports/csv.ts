/**
 * CSV per RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): fields separated
 * by commas, records by CRLF; a field holding a comma, a double quote, CR or LF
 * is enclosed in double quotes, with each inner quote doubled.
 *
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
 * (and tab / CR can smuggle one in), so text that starts with one of those is
 * prefixed with a single quote — OWASP's "CSV injection" advice. Plain numbers
 * (`-1.5`, our amounts) are left alone: a spreadsheet reads them as numbers,
 * never as formulas.
 */

/** What a report cell may hold; null is an empty field. */
export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Prefixes `'` to text a spreadsheet would run as a formula. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One field, neutralized and quoted as needed. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString() : neutralizeFormula(String(value));
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(",") + "\r\n";
}
