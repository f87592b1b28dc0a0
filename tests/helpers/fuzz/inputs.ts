import fc from 'fast-check';
import {
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLEnumType,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLScalarType,
} from 'graphql';
import { stringArb } from './strings.js';
import {
  booleanArb,
  dateArb,
  dayOf,
  decimalArb,
  floatArb,
  idArb,
  intArb,
  isoDay,
  monthArb,
  type IdKind,
  type Pools,
} from './values.js';
import { pick, weighted } from './weighted.js';

/**
 * Values for any GraphQL input type, read from the schema: non-null and list wrappers, enums,
 * input objects and scalars. Sane values aim at valid input (to get past validation into the
 * resolvers); wild ones add null for a required value, an unknown enum value, a missing required
 * field, an extra field, a 101+ item list, so that request validation is exercised too.
 */

export interface InputContext {
  pools: Pools;
  /** The operation (or parent type) the value is for: tells what kind of id an `id` names. */
  owner: string;
  /** Aim at valid input (see values.ts). */
  sane: boolean;
}

/** The kind of row an ID argument or field refers to, from its name and its operation. */
export function idKindOf(owner: string, name: string): IdKind | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('account') || lower.startsWith('transferaccount')) return 'account';
  if (lower.startsWith('category') || lower.startsWith('parent')) return 'category';
  if (lower === 'scheduleid') return 'recurring';
  if (lower !== 'id') return undefined;
  const kinds: [RegExp, IdKind][] = [
    [/recurring/i, 'recurring'],
    [/alert/i, 'alert'],
    [/budget/i, 'budget'],
    [/account/i, 'account'],
    [/categor/i, 'category'],
    [/transaction/i, 'transaction'],
    [/rule/i, 'rule'],
  ];
  return kinds.find(([pattern]) => pattern.test(owner))?.[1];
}

export function valueArb(type: GraphQLInputType, name: string, ctx: InputContext): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    return weighted<unknown>([
      [30, unwrappedArb(type.ofType, name, ctx)],
      [ctx.sane ? 0 : 1, fc.constant(null)],
    ]);
  }
  return weighted<unknown>([
    [8, unwrappedArb(type, name, ctx)],
    [1, fc.constant(null)],
  ]);
}

function unwrappedArb(type: GraphQLInputType, name: string, ctx: InputContext): fc.Arbitrary<unknown> {
  if (isListType(type)) return listArb(valueArb(type.ofType, name, ctx), ctx.sane);
  if (isEnumType(type)) return enumArb(type, ctx.sane);
  if (isInputObjectType(type)) return inputObjectArb(type, ctx);
  return scalarArb(type as GraphQLScalarType, name, ctx);
}

/** Empty, a few items, sometimes over a hundred (limits), sometimes a bare item (list coercion). */
function listArb(item: fc.Arbitrary<unknown>, sane: boolean): fc.Arbitrary<unknown> {
  return weighted<unknown>([
    [2, fc.constant([])],
    [8, fc.array(item, { minLength: 1, maxLength: 3 })],
    [
      sane ? 0 : 1,
      fc.tuple(item, fc.integer({ min: 101, max: 130 })).map(([value, n]) => Array(n).fill(value)),
    ],
    [sane ? 0 : 1, item],
  ]);
}

function enumArb(type: GraphQLEnumType, sane: boolean): fc.Arbitrary<unknown> {
  const names = type.getValues().map((value) => value.name);
  return weighted<unknown>([
    [12, pick(names)],
    [sane ? 0 : 1, pick(['NOT_A_VALUE', names[0]!.toLowerCase(), ''])],
  ]);
}

const OMIT = Symbol('omit');

/**
 * A random subset of the fields: required ones nearly always (always when sane), optional ones
 * about half the time (less when sane: each is one more chance to be refused); rarely an unknown
 * extra field.
 */
function inputObjectArb(type: GraphQLInputObjectType, ctx: InputContext): fc.Arbitrary<unknown> {
  const fields = Object.values(type.getFields());
  const inner = { ...ctx, owner: type.name };
  const entries = fields.map((field) => {
    const required = isNonNullType(field.type) && field.defaultValue === undefined;
    const omit = required ? (ctx.sane ? 0 : 1) : ctx.sane ? 6 : 4;
    return weighted<unknown>([
      [omit, fc.constant(OMIT)],
      [required ? 24 : 5, valueArb(field.type, field.name, inner)],
    ]).map((value) => [field.name, value] as const);
  });
  const extra = weighted<[string, unknown][]>([
    [25, fc.constant([])],
    [ctx.sane ? 0 : 1, fc.constant([['bogusField', 1]])],
  ]);
  return fc
    .tuple(fc.tuple(...entries), extra)
    .map(([pairs, more]) => Object.fromEntries([...pairs, ...more].filter(([, value]) => value !== OMIT)))
    .map((value) => (ctx.sane ? consistentTransfer(orderedRange(value)) : value));
}

/**
 * Sane date ranges: `from` no later than `to`, and at most about a year apart (reports refuse
 * more than ten years, cashflow more than 1000 points). For argument maps and input objects.
 */
export function orderedRange(values: Record<string, unknown>): Record<string, unknown> {
  const { from, to } = values;
  if (!isDate(from) || !isDate(to)) return values;
  const [start, end] = from <= to ? [from, to] : [to, from];
  const gap = dayOf(end) - dayOf(start);
  if (gap <= 400) return { ...values, from: start, to: end };
  return { ...values, from: start, to: isoDay(Math.min(dayOf(start) + (gap % 400), dayOf('9999-12-31'))) };
}

/**
 * Sane transaction inputs, as CreateTransactionInput's description asks: a TRANSFER has no
 * category, anything else no transferAccountId.
 */
function consistentTransfer(values: Record<string, unknown>): Record<string, unknown> {
  if (typeof values.type !== 'string') return values;
  const { categoryId, transferAccountId, ...rest } = values;
  if (values.type === 'TRANSFER')
    return transferAccountId === undefined ? rest : { ...rest, transferAccountId };
  return categoryId === undefined ? rest : { ...rest, categoryId };
}

const isDate = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value);

function scalarArb(type: GraphQLScalarType, name: string, ctx: InputContext): fc.Arbitrary<unknown> {
  switch (type.name) {
    case 'ID':
      return idArb(idKindOf(ctx.owner, name), ctx.pools, ctx.sane);
    case 'String':
      return stringArb(name, ctx.pools, ctx.sane);
    case 'Int':
      return intArb(ctx.sane);
    case 'Float':
      return floatArb(ctx.sane);
    case 'Boolean':
      return booleanArb(ctx.sane);
    case 'Decimal':
      return decimalArb(ctx.sane);
    case 'Date':
      return dateArb(ctx.sane);
    case 'Month':
      return monthArb(ctx.sane);
    default:
      // A scalar added later: strings of every kind are the likeliest inputs.
      return stringArb(name, ctx.pools, ctx.sane);
  }
}

/**
 * The value as an inline GraphQL literal. Enum values print bare (when they look like a name);
 * unknown fields and wrong-typed values print as what they are, for the server to refuse.
 */
export function toLiteral(value: unknown, type: GraphQLInputType | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (type && isNonNullType(type)) return toLiteral(value, type.ofType);
  if (type && isListType(type)) {
    return Array.isArray(value)
      ? `[${value.map((item) => toLiteral(item, type.ofType)).join(', ')}]`
      : toLiteral(value, type.ofType);
  }
  if (type && isEnumType(type) && typeof value === 'string' && /^[_A-Za-z]\w*$/.test(value)) return value;
  if (Array.isArray(value)) return `[${value.map((item) => toLiteral(item, undefined)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = type && isInputObjectType(type) ? type.getFields() : {};
    const parts = Object.entries(value).map(([key, item]) => `${key}: ${toLiteral(item, fields[key]?.type)}`);
    return `{${parts.join(', ')}}`;
  }
  // JSON's string escapes (\n, \", \u0000, ...) are all valid GraphQL string escapes.
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
