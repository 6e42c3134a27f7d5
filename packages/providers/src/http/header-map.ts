/** Response headers as both node:http and undici hand them out: lower-case names. */
export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;
