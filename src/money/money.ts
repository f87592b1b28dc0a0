/**
 * The only place money is parsed and formatted. Amounts travel as decimal strings; arithmetic is
 * done on the BigInt minor units (cents) that toCents gives, or by PostgreSQL on numeric columns,
 * never on JS floats. Amount columns are numeric(19,4); values reaching them have at most 2
 * fraction digits.
 */

/** What a client may send: optional minus, up to 15 integer digits, up to 2 fraction digits. */
export const DECIMAL_INPUT = /^-?\d{1,15}(\.\d{1,2})?$/;

/** What a numeric(19,4) column holds, in cents: fewer than 16 integer digits. */
const MAX_ABS_CENTS = 10n ** 17n - 1n;

export const fitsBalance = (cents: bigint): boolean => cents <= MAX_ABS_CENTS && cents >= -MAX_ABS_CENTS;

/** Cents of a decimal string such as "12.5", "-3.50" or a database value such as "12.3400". */
export function toCents(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new TypeError(`Not a decimal amount: ${value}`);
  const [, sign, whole, fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(2))) throw new TypeError(`More than 2 fraction digits: ${value}`);
  const cents = BigInt(whole!) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
  return sign === '-' ? -cents : cents;
}

/** "-3.50" for -350n: always exactly 2 fraction digits. */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Normalises any decimal string to the 2-digit form used in responses and SQL parameters. */
export const formatMoney = (value: string): string => formatCents(toCents(value));

export const isPositive = (value: string): boolean => toCents(value) > 0n;
