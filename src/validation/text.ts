/**
 * What people type, as the server compares and stores it. Unicode has many ways to write text
 * that looks the same or looks like nothing; these rules keep look-alike and invisible values out.
 */

/** Control characters (C0, C1) and format characters such as zero-width spaces and joiners. */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;

/** Everything that draws nothing: spaces, controls, format characters, combining marks, fillers. */
const INVISIBLE = /[\s\p{Z}\p{Cc}\p{Cf}\p{M}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/**
 * An email as stored and compared: NFKC (a fullwidth ｅ is e; a letter and its combining accent
 * become one character), trimmed, lower-cased.
 */
export const normalizeEmail = (email: string): string => email.normalize('NFKC').trim().toLowerCase();

/**
 * True when the email holds something that could make it look like another one: a control or
 * zero-width character, or a combining mark that NFKC could not join to a letter.
 */
export const hasHiddenEmailCharacters = (email: string): boolean =>
  CONTROL_OR_FORMAT.test(email) || /\p{M}/u.test(normalizeEmail(email));

/** The characters of text that would actually show. */
export const visibleCharacters = (text: string): string => text.replace(INVISIBLE, '');
