/** Keys shorter than this are shown as `MASKED_SHORT_SECRET` only: 7 shown characters would be too many of them. */
export const MIN_MASKABLE_SECRET_LENGTH = 16;
/** What a too-short secret is shown as. */
export const MASKED_SHORT_SECRET = "***";

/**
 * How a stored provider key is shown: its kind prefix (the first
 * dash-separated part when it is at most 3 characters, with its dash — `sk-`
 * — else the first 3 characters), `...`, and its last 4 characters:
 * `sk-proj-…abcd` → `sk-...abcd`, `AIzaSy…wxyz` → `AIz...wxyz`. At most 8
 * characters of the key are ever shown; short keys show none.
 */
export function maskSecret(secret: string): string {
  if (secret.length < MIN_MASKABLE_SECRET_LENGTH) return MASKED_SHORT_SECRET;
  const dash = secret.indexOf("-");
  const prefix = dash > 0 && dash <= 3 ? secret.slice(0, dash + 1) : secret.slice(0, 3);
  return `${prefix}...${secret.slice(-4)}`;
}
