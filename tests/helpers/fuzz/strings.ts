import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Pools } from './values.js';
import { pick, weighted } from './weighted.js';

/**
 * String values. The schema says only "String", so the argument's name picks a pool that makes
 * the request plausible (an email for `email`, A's password for `currentPassword`, ...), always
 * mixed with the generic edge strings.
 */

const LONG = 'x'.repeat(10_000);

export const GENERIC_STRINGS = [
  '',
  'a',
  ' ',
  '   padded   ',
  LONG,
  'x'.repeat(101),
  'x'.repeat(501),
  'Zoë 😀',
  'ｆｕｌｌ',
  'a\u200Bb',
  'e\u0301\u0302\u0303',
  '\u202Eevil',
  '\u0000',
  'nul\u0000inside',
  'line\nbreak',
  "Robert'); drop table users; --",
  '%',
  '_',
  '\\',
  '${x}',
  '<script>alert(1)</script>',
];

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'usd', 'eur', 'XXX', 'ZZZ', 'US', 'USDD', '', ' USD'];

/** Passwords of every validity, plus A's real one (tracked by the caller). */
function passwords(pools: Pools): string[] {
  return [
    pools.aPassword,
    'correct horse battery',
    'another good password',
    'short',
    '12345678',
    'x'.repeat(72),
    'x'.repeat(73),
    'é'.repeat(36), // 72 bytes of UTF-8
    'é'.repeat(37), // 74 bytes
    '😀'.repeat(18), // 72 bytes
    'pass\u0000word',
    '',
  ];
}

function emails(pools: Pools): string[] {
  return [
    pools.aEmail,
    pools.aEmail.toUpperCase(),
    ` ${pools.aEmail} `,
    pools.bEmail,
    'not-an-email',
    'a@b',
    '@example.com',
    'user@exаmple.com', // Cyrillic а
    'user+tag@example.com',
    `${'a'.repeat(300)}@example.com`,
    '"quoted"@example.com',
    'nul\u0000@example.com',
  ];
}

/** Cursors that decode but point nowhere sensible: keys at the ends of their ranges, B's ids. */
function craftedCursors(pools: Pools): string[] {
  const encode = (parts: unknown) => Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
  const id = pools.b.transaction[0] ?? randomUUID();
  return [
    encode(['DATE', '0001-01-01', id]),
    encode(['DATE', '9999-12-31', id]),
    encode(['AMOUNT', '999999999999999.99', id]),
    encode(['AMOUNT', '0.00', id]),
    encode(['CREATED_AT', '0001-01-01T00:00:00.000000Z', id]),
    encode(['DATE', '2026-01-01']),
    encode({ field: 'DATE' }),
    'garbage',
    '',
  ];
}

function refreshTokens(pools: Pools): string[] {
  return [...pools.aRefreshTokens, 'not-a-token', 'A'.repeat(43), 'x'.repeat(600)];
}

const uniqueEmail = fc.uuid().map((id) => `fuzz-${id.slice(0, 8)}@example.com`);
const COLORS = ['#4caf50', '#FFF', '#12345678', 'red', 'rgb(1,2,3)', 'not a color'];
const WORDS = ['Groceries', 'Rent', 'Salary', 'Pets', 'Vet', 'coffee', 'food', 'Zoë 😀'];

/** Short free text for names, descriptions, tags and searches; sane: printable and not blank. */
function freeText(sane: boolean): fc.Arbitrary<string> {
  return weighted<string>([
    [2, pick(WORDS)],
    [3, fc.string({ minLength: 1, maxLength: 20 }).filter((text) => text.trim() !== '')],
    [sane ? 0 : 1, fc.string({ maxLength: 20, unit: 'grapheme' })],
    [sane ? 0 : 1, fc.string({ maxLength: 10, unit: 'binary' })],
  ]);
}

/** A String for the argument or input field `name`. */
export function stringArb(name: string, pools: Pools, sane: boolean): fc.Arbitrary<string> {
  const lower = name.toLowerCase();
  const hinted = (values: string[], saneValues: string[], extra?: fc.Arbitrary<string>) =>
    sane && (saneValues.length > 0 || extra)
      ? weighted<string>([
          [1, pick(saneValues)],
          [1, extra],
        ])
      : weighted<string>([
          [6, pick(values)],
          [2, extra],
          [2, pick(GENERIC_STRINGS)],
          [1, freeText(false)],
        ]);
  if (lower.includes('email')) return hinted(emails(pools), [pools.aEmail], uniqueEmail);
  if (lower.includes('password')) {
    return hinted(passwords(pools), [pools.aPassword, 'correct horse battery', 'é'.repeat(36)]);
  }
  if (lower.includes('currency')) return hinted(CURRENCIES, ['USD', 'EUR', 'GBP']);
  if (lower === 'refreshtoken') return hinted(refreshTokens(pools), pools.aRefreshTokens);
  if (lower === 'after') return hinted(craftedCursors(pools), pools.cursors, pick(pools.cursors));
  if (lower === 'idempotencykey') return hinted(['key-1', 'key-2', ''], ['key-1', 'key-2'], fc.uuid());
  if (lower === 'color') return hinted(COLORS, ['#4caf50', '#ff8800']);
  if (sane) return freeText(true);
  return weighted<string>([
    [4, freeText(false)],
    [3, pick(GENERIC_STRINGS)],
    [1, pick(emails(pools))],
    [1, pick(CURRENCIES)],
  ]);
}
