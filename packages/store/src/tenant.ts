/**
 * The developer a caller acts for, or null for the bootstrap
 * DEVELOPER_ADMIN_TOKEN (any developer). Functions taking one filter by it
 * in their SQL, so another developer's rows do not exist to the caller.
 */
export type Tenant = string | null;
