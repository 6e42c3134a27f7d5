/**
 * The upstream's base URL, checked: http(s), no credentials, query or
 * fragment (a key in a URL ends up in logs). Throws a TypeError naming
 * the option, never echoing the URL.
 */
export function parseBaseUrl(providerId: string, baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`provider "${providerId}": baseUrl is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`provider "${providerId}": baseUrl must be http or https`);
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    throw new TypeError(`provider "${providerId}": baseUrl must not contain credentials, a query or a fragment`);
  }
  return url;
}

/** The path prefix of a base URL without trailing slashes, e.g. `/v1`, or "". */
export function basePathOf(url: URL): string {
  return url.pathname.replace(/\/+$/, "");
}
