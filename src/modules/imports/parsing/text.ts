import { Refusal } from './refusal.js';

/** As the transactions input allows (SafeText max 500 on description and payee). */
export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_PAYEE_LENGTH = 500;
/** OFX's own bound on FITID; CSV id columns are held to the same. */
export const MAX_BANK_ID_LENGTH = 255;

/** "+12", "- 1 234,50": a sign followed by a number is a number, not a formula. */
const SIGNED_NUMBER = /^[+-][\d\s.,]*$/;

/**
 * A text cell as stored: trimmed, null when blank. Refused when longer than `max` characters or
 * when a spreadsheet would run it as a formula (it starts with =, @, a sign not followed by a
 * number, or a tab or carriage return): such text in a bank export is an injection attempt or a
 * broken export, and it would come back out of Ledgerline's own CSV export.
 */
export function readText(raw: string | null | undefined, max: number): string | null {
  if (raw == null) return null;
  if (/^[\t\r]/.test(raw))
    throw new Refusal('starts with a tab or carriage return, as a spreadsheet formula may');
  const text = raw.trim();
  if (text === '') return null;
  if (looksLikeFormula(text)) throw new Refusal(`"${preview(text)}" looks like a spreadsheet formula`);
  if (text.length > max) throw new Refusal(`is longer than ${max} characters`);
  return text;
}

export const looksLikeFormula = (text: string): boolean =>
  /^[=@]/.test(text) || (/^[+-]/.test(text) && !SIGNED_NUMBER.test(text));

/** A cell quoted in a reason: short enough to read. */
export const preview = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

export const isBlank = (text: string | null | undefined): boolean => text == null || text.trim() === '';
