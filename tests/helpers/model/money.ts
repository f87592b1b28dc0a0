/**
 * The tests' own money arithmetic, independent of src/money (it checks it): amounts as BigInt
 * cents, written the way the contract says the server answers, with exactly two fraction digits.
 */

/** Cents of "-12.30", "12.3" or "12". Throws on anything else (more decimals, floats, spaces). */
export function cents(value: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) throw new Error(`not a decimal amount with up to 2 fraction digits: ${JSON.stringify(value)}`);
  const magnitude = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -magnitude : magnitude;
}

/** Always two fraction digits, as the contract says the server answers: -350n → "-3.50". */
export function money(value: bigint): string {
  const abs = value < 0n ? -value : value;
  return `${value < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Another valid Decimal input for the same value: "12.30" may go as "12.3", "12.00" as "12". */
export function moneyInput(value: bigint, style: number): string {
  const canonical = money(value);
  if (style % 3 === 1 && value % 100n === 0n) return canonical.slice(0, -3);
  if (style % 3 === 2 && value % 10n === 0n) return canonical.slice(0, -1);
  return canonical;
}

export const compareCents = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
