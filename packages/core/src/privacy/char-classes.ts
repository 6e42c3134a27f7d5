/**
 * Character tests on UTF-16 code units, shared by the detectors: plain
 * comparisons, no regular expressions, so every scan stays linear.
 */
export const isDigit = (code: number) => code >= 48 && code <= 57;
export const isUpper = (code: number) => code >= 65 && code <= 90;
export const isLower = (code: number) => code >= 97 && code <= 122;
export const isLetter = (code: number) => isUpper(code) || isLower(code);
export const isAlnum = (code: number) => isDigit(code) || isLetter(code);
/** A "word" character for the boundaries of a match: letters, digits and `_`. */
export const isWordChar = (code: number) => isAlnum(code) || code === 95;
export const isHexDigit = (code: number) => isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

/** The code unit at `index`, or -1 outside the text (so boundary tests read naturally at the ends). */
export const codeAt = (text: string, index: number) =>
  index >= 0 && index < text.length ? text.charCodeAt(index) : -1;
