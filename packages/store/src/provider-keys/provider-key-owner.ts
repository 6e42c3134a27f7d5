/**
 * Whose key it is, which decides the table, the id prefix and the associated
 * data its secret is bound to.
 *
 * - `end_user`: BYOK, in `user_provider_keys`, ids `upk_…`; `developerId` is
 *   the app's developer (the tenant its audit entries belong to).
 * - `developer`: in `developer_provider_keys`, ids `dpk_…`.
 */
export type ProviderKeyOwner =
  | { readonly kind: "end_user"; readonly endUserId: string; readonly appId: string; readonly developerId: string }
  | { readonly kind: "developer"; readonly developerId: string };

/** The table, id prefix and owner column of an owner kind. Table names come from here only, never from input. */
export const PROVIDER_KEY_TABLES = {
  end_user: { table: "user_provider_keys", idPrefix: "upk", ownerColumn: "end_user_id" },
  developer: { table: "developer_provider_keys", idPrefix: "dpk", ownerColumn: "developer_id" },
} as const;

export function ownerId(owner: ProviderKeyOwner): string {
  return owner.kind === "end_user" ? owner.endUserId : owner.developerId;
}

/**
 * The associated data binding a key's secret to its row and owner:
 * `user_provider_keys:upk_…:usr_…`. A ciphertext copied to another row, or a
 * row moved to another owner, no longer decrypts.
 */
export function providerKeyAad(owner: ProviderKeyOwner, id: string): string {
  return `${PROVIDER_KEY_TABLES[owner.kind].table}:${id}:${ownerId(owner)}`;
}
