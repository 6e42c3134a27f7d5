/** A header value that is one token: printable ASCII, no spaces (API keys, version strings). */
export const HEADER_TOKEN = /^[\x21-\x7e]+$/;
/** A header field name (RFC 9110 `token`). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header field value without obs-text or control characters. */
export const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
