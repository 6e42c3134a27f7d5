/** `GET /api/config`: what the page needs before it can create its ModelFaucet client. */
export interface PageConfig {
  /** The Control API's origin (wallet, BYOK keys, local tickets). */
  apiBaseUrl: string;
  /** Where to look for the Local Bridge; null: the SDK's default. */
  localBridgeUrl: string | null;
  /** The signed-in CRM user. */
  user: { name: string };
}
