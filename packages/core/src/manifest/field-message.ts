/**
 * A zod `error` callback whose message names the field, for both a missing
 * value and a value of the wrong type: zod's defaults ("expected string,
 * received undefined") leave the caller guessing which field was meant.
 */
export function fieldMessage(field: string, expectation: string) {
  return (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${field} is required` : `${field} must be ${expectation}`;
}

/** Message for an object that is not one, or that carries fields we do not know. */
export function objectMessage(field: string) {
  return (issue: { code?: string; keys?: string[] }): string =>
    issue.code === "unrecognized_keys" && issue.keys !== undefined
      ? `${field} has unknown field(s): ${issue.keys.join(", ")}`
      : `${field} must be an object`;
}
