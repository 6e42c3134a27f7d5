import type { z } from "zod";

/** Failing fields named in one message, at most; the rest are counted. */
const MAX_LISTED_ISSUES = 10;

/** A field path as the API names fields everywhere: dotted, array indexes included (`messages.0.content`). */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

const asSentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * One message for every failing field of a validation (not only the first),
 * each a sentence led by the field's path, and the first field as `param`.
 */
export function validationMessage(issues: readonly z.core.$ZodIssue[]): { message: string; param: string | undefined } {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const path = fieldPath(issue.path);
    return asSentence(path === "" ? issue.message : `${path}: ${issue.message}`);
  });
  const more = issues.length - listed.length;
  if (more > 0) listed.push(`${more} more problem${more === 1 ? " was" : "s were"} found.`);
  const first = issues[0] ? fieldPath(issues[0].path) : "";
  return { message: listed.join(" ") || "The request is invalid.", param: first === "" ? undefined : first };
}
