import { formatCents, formatMoney, toCents } from '../../../money/money.js';
import { Refusal } from './refusal.js';
import { preview } from './text.js';

export type DecimalSeparator = '.' | ',';

/** The app's money limit (DECIMAL_INPUT in src/money/money.ts): up to 15 integer digits. */
const MAX_INTEGER_DIGITS = 15;

/** Spaces a locale may group thousands with, as an alternative to the other separator. */
const GROUPING_SPACES = /[ \u00a0\u202f]/;
/** Currency symbols and codes around the number ("$12", "12,00 €", "EUR 12.00") carry no meaning here. */
const CURRENCY_BEFORE = /^(?:\p{Sc}|[A-Z]{3}\s)/u;
const CURRENCY_AFTER = /(?:\p{Sc}|\s[A-Z]{3})$/u;

/**
 * An amount as a bank writes it in a CSV or QIF file, as the signed 2-decimal text of
 * ParsedRow.amount. `decimalSeparator` is the file's; the other one (or a space) may group
 * thousands, in groups of 3 only, so a file read with the wrong locale is refused instead of
 * being read 1000 times off: "1.234,56" with '.' is refused, and so is "1.000" (3 decimals).
 * Negative: a leading minus, a trailing minus ("12.34-") or parentheses ("(12.34)").
 * Throws a Refusal saying what is wrong.
 */
export function parseAmount(text: string, decimalSeparator: DecimalSeparator): string {
  const { negative, digits } = splitSign(text);
  const [whole = '', fraction, ...more] = digits.split(decimalSeparator);
  const grouping = decimalSeparator === '.' ? ',' : '.';
  if (more.length > 0) {
    throw new Refusal(
      `"${preview(text)}" has more than one decimal separator "${decimalSeparator}"${wrongLocale(grouping)}`,
    );
  }
  if (fraction !== undefined && !/^\d{1,2}$/.test(fraction)) {
    if (/^\d{3,}$/.test(fraction)) {
      throw new Refusal(`"${preview(text)}" has more than 2 decimals${wrongLocale(grouping)}`);
    }
    throw new Refusal(
      fraction.includes(grouping)
        ? `"${preview(text)}": the thousands separator is in the wrong place${wrongLocale(grouping)}`
        : `"${preview(text)}" is not an amount`,
    );
  }
  if (whole === '' && fraction === undefined) throw new Refusal(`"${preview(text)}" is not an amount`);
  const integer = ungroup(whole, grouping);
  if (integer === null) {
    const misplaced = whole.includes(grouping) || GROUPING_SPACES.test(whole);
    throw new Refusal(
      misplaced
        ? `"${preview(text)}": the thousands separator is in the wrong place${wrongLocale(grouping)}`
        : `"${preview(text)}" is not an amount`,
    );
  }
  return signed(negative, integer, fraction ?? '', text);
}

/**
 * An OFX amount (TRNAMT): a plain signed decimal with '.', or ',' as some banks write it; no
 * grouping exists in OFX, so a single ',' is the decimal separator. More than 2 decimals are
 * read when the extra ones are zeros ("-200.000").
 */
export function parseOfxAmount(text: string): string {
  const match = /^([+-]?)(\d*)(?:[.,](\d*))?$/.exec(text.trim());
  if (!match || (match[2] === '' && !match[3])) throw new Refusal(`"${preview(text)}" is not an amount`);
  const [, sign, whole = '', fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(2))) throw new Refusal(`"${preview(text)}" has more than 2 decimals`);
  return signed(sign === '-', whole, fraction.slice(0, 2), text);
}

/** The amount with its sign flipped: "-12.00" ↔ "12.00", "0.00" stays. */
export const negate = (amount: string): string => formatCents(-toCents(amount));

/** Money out, whatever sign the file gave it (a debit column): "12.00" and "-12.00" → "-12.00". */
export const asMoneyOut = (amount: string): string => {
  const cents = toCents(amount);
  return formatCents(cents > 0n ? -cents : cents);
};

export const asMoneyIn = (amount: string): string => {
  const cents = toCents(amount);
  return formatCents(cents < 0n ? -cents : cents);
};

export const isZero = (amount: string): boolean => toCents(amount) === 0n;

function splitSign(text: string): { negative: boolean; digits: string } {
  let rest = stripCurrency(text);
  let signs = 0;
  let negative = false;
  const unwrapParentheses = () => {
    if (!(rest.startsWith('(') && rest.endsWith(')'))) return;
    signs += 1;
    negative = true;
    rest = stripCurrency(rest.slice(1, -1));
  };
  unwrapParentheses();
  if (/^[+\-\u2212]/.test(rest)) {
    signs += 1;
    negative = rest[0] !== '+';
    rest = stripCurrency(rest.slice(1));
  }
  unwrapParentheses();
  if (/[-\u2212]$/.test(rest)) {
    signs += 1;
    negative = true;
    rest = stripCurrency(rest.slice(0, -1));
  }
  if (signs > 1) throw new Refusal(`"${preview(text)}" has more than one sign`);
  return { negative, digits: rest };
}

function stripCurrency(text: string): string {
  let rest = text.trim();
  for (let previous = ''; previous !== rest;) {
    previous = rest;
    rest = rest.replace(CURRENCY_BEFORE, '').replace(CURRENCY_AFTER, '').trim();
  }
  return rest;
}

/** The digits of an integer part, grouped by 3 with one separator throughout or not at all; null if not. */
function ungroup(whole: string, grouping: string): string | null {
  if (/^\d*$/.test(whole)) return whole;
  const separator = GROUPING_SPACES.test(whole) ? (GROUPING_SPACES.exec(whole)?.[0] ?? ' ') : grouping;
  const groups = whole.split(separator);
  const valid = /^\d{1,3}$/.test(groups[0] ?? '') && groups.slice(1).every((group) => /^\d{3}$/.test(group));
  return valid ? groups.join('') : null;
}

function signed(negative: boolean, whole: string, fraction: string, text: string): string {
  const integer = whole.replace(/^0+(?=\d)/, '');
  if (integer.length > MAX_INTEGER_DIGITS) {
    throw new Refusal(`"${preview(text)}" has more than ${MAX_INTEGER_DIGITS} integer digits`);
  }
  return formatMoney(`${negative ? '-' : ''}${integer || '0'}.${fraction || '0'}`);
}

const wrongLocale = (grouping: string): string =>
  ` (is the file's decimal separator "${grouping}"? check the decimal separator option)`;
