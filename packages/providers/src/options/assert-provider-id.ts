/** Checks a provider id: a string of 1–64 characters (it names the upstream in errors and logs). */
export function assertProviderId(id: unknown): asserts id is string {
  if (typeof id !== "string" || id.length === 0 || id.length > 64) {
    throw new TypeError("provider option id must be a string of 1-64 characters");
  }
}
