/**
 * For tests and the repository's scripts, not for production code:
 * `@modelfaucet/store/testing`.
 */
export { parseCsv } from "./parse-csv.js";
// The usage views' statements as the API runs them, so `pnpm measure:usage-pagination` EXPLAINs exactly those.
export { revenueStatement, usageCursor, usagePageStatement, type Statement } from "../usage/usage-views.js";
