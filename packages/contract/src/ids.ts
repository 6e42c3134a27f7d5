/**
 * The ids the API hands out: a prefix, `_`, then 1–64 letters, digits or
 * `_`. A path or body naming something else is refused before any lookup.
 */
export const prefixedId = (prefix: string) => new RegExp(`^${prefix}_[A-Za-z0-9_]{1,64}$`);

export const DEVELOPER_ID = prefixedId("dev");
export const WALLET_ID = prefixedId("usr");
