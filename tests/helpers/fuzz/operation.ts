import fc from 'fast-check';
import {
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { orderedRange, toLiteral, valueArb, type InputContext } from './inputs.js';
import { weighted } from './weighted.js';

/**
 * One generated request: the root field with its arguments, a selection set read from the
 * return type, and who sends it. Plain data (no schema objects), so fast-check can print and
 * shrink it; render() turns it into a document and variables.
 */

/** Object levels below the root field that may be selected: transactions { edges { node { account } } }. */
export const MAX_LEVEL = 3;
/** The server refuses more than 15 aliases. */
const MAX_ALIASES = 15;

/** A: A's access token; the others carry no valid token (see FuzzWorld.tokenFor). */
export type AuthMode = 'A' | 'none' | 'garbage' | 'forged';

export interface ArgChoice {
  name: string;
  /** The argument's type as the schema prints it, for the variable declaration. */
  type: string;
  /** variable: sent in variables; unset: declared but left out of variables; inline: a literal. */
  mode: 'variable' | 'unset' | 'inline';
  value: unknown;
  literal: string;
}

export interface Selection {
  name: string;
  alias?: string;
  args: ArgChoice[];
  /** Undefined for scalar and enum fields. */
  children?: Selection[];
}

export interface FuzzRequest {
  operation: 'query' | 'mutation';
  field: Selection;
  auth: AuthMode;
}

const authArb = weighted<AuthMode>([
  [16, fc.constant('A')],
  [2, fc.constant('none')],
  [1, fc.constant('garbage')],
  [1, fc.constant('forged')],
]);

/**
 * Requests for one root field of Query or Mutation: half sane (values that look valid, to reach
 * the resolvers and the SQL), half wild (edge and malformed values everywhere).
 */
export function requestArb(
  operation: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  ctx: Omit<InputContext, 'sane' | 'owner'>,
): fc.Arbitrary<FuzzRequest> {
  const build = (sane: boolean) =>
    fc.record({ field: selectionOf(field, 0, { ...ctx, sane, owner: field.name }), auth: authArb });
  return weighted([
    [1, build(true)],
    [1, build(false)],
  ]).map(({ field: selection, auth }) => withToString({ operation, field: selection, auth }));
}

type ArgValue = Pick<ArgChoice, 'name' | 'mode' | 'value'>;

/** Required arguments nearly always (always when sane); optional ones a bit over half the time. */
function argArb(arg: GraphQLArgument, ctx: InputContext): fc.Arbitrary<ArgValue | undefined> {
  const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
  const mode = weighted<ArgChoice['mode']>([
    [16, fc.constant('variable')],
    [4, fc.constant('inline')],
    [ctx.sane ? 0 : 1, fc.constant('unset')],
  ]);
  const present = fc
    .tuple(valueArb(arg.type, arg.name, ctx), mode)
    .map(([value, how]): ArgValue => ({ name: arg.name, mode: how, value }));
  const omitted = fc.constant(undefined);
  return required
    ? weighted<ArgValue | undefined>([
        [40, present],
        [ctx.sane ? 0 : 1, omitted],
      ])
    : weighted<ArgValue | undefined>([
        [4, omitted],
        [6, present],
      ]);
}

/** The arguments of a field: generated one by one, then (sane) a from..to range put in order. */
function argsArb(field: GraphQLField<unknown, unknown>, ctx: InputContext): fc.Arbitrary<ArgChoice[]> {
  return fc.tuple(...field.args.map((arg) => argArb(arg, ctx))).map((generated) => {
    const present = generated.filter((arg): arg is ArgValue => arg !== undefined);
    const values = Object.fromEntries(present.map((arg) => [arg.name, arg.value]));
    const ordered = ctx.sane ? orderedRange(values) : values;
    return present.map((arg) => {
      const type = field.args.find((candidate) => candidate.name === arg.name)!.type;
      const value = ordered[arg.name];
      return { ...arg, value, type: String(type), literal: toLiteral(value, type) };
    });
  });
}

function selectionOf(
  field: GraphQLField<unknown, unknown>,
  level: number,
  ctx: InputContext,
): fc.Arbitrary<Selection> {
  const named = getNamedType(field.type);
  const children = isObjectType(named)
    ? selectionSetArb(named, level + 1, { ...ctx, owner: named.name })
    : fc.constant(undefined);
  return fc.record({ args: argsArb(field, ctx), children }).map(({ args, children: set }) => ({
    name: field.name,
    args,
    ...(set ? { children: set } : {}),
  }));
}

/**
 * Every scalar and enum field, object fields usually (down to MAX_LEVEL), and fields with
 * arguments (Budget.status(date:), Budget.history(periods:), Dashboard.recentTransactions(first:))
 * nearly always, sometimes twice under an alias with other arguments.
 */
function selectionSetArb(
  type: GraphQLObjectType,
  level: number,
  ctx: InputContext,
): fc.Arbitrary<Selection[]> {
  const parts = Object.values(type.getFields()).map((field): fc.Arbitrary<Selection[]> => {
    const leaf = isLeafType(getNamedType(field.type));
    if (!leaf && level >= MAX_LEVEL) return fc.constant([]);
    const one = selectionOf(field, level, ctx);
    if (field.args.length === 0) {
      if (leaf) return one.map((selection) => [selection]);
      return weighted<Selection[]>([
        [3, fc.constant([])],
        [7, one.map((selection) => [selection])],
      ]);
    }
    return weighted<Selection[]>([
      [1, fc.constant([])],
      [6, one.map((selection) => [selection])],
      [3, fc.tuple(one, one).map(([first, second]) => [first, { ...second, alias: `${field.name}2` }])],
    ]);
  });
  return fc.tuple(...parts).map((lists) => lists.flat());
}

export interface Rendered {
  document: string;
  variables: Record<string, unknown>;
}

/** The request as a GraphQL document with its variables ($v0, $v1, ... in document order). */
export function render(request: FuzzRequest): Rendered {
  const declarations: string[] = [];
  const variables: Record<string, unknown> = {};
  let aliases = 0;

  const argument = (arg: ArgChoice): string => {
    if (arg.mode === 'inline') return `${arg.name}: ${arg.literal}`;
    const variable = `v${declarations.length}`;
    declarations.push(`$${variable}: ${arg.type}`);
    if (arg.mode === 'variable') variables[variable] = arg.value;
    return `${arg.name}: $${variable}`;
  };
  const selection = (node: Selection): string | undefined => {
    if (node.alias && ++aliases > MAX_ALIASES) return undefined;
    const args = node.args.length ? `(${node.args.map(argument).join(', ')})` : '';
    const children = node.children ? ` { ${node.children.map(selection).filter(Boolean).join(' ')} }` : '';
    return `${node.alias ? `${node.alias}: ` : ''}${node.name}${args}${children}`;
  };

  const body = selection(request.field)!;
  const header = declarations.length ? `(${declarations.join(', ')})` : '';
  return { document: `${request.operation} Fuzz${header} { ${body} }`, variables };
}

/** A long string as `<"x" × 10000>` when it repeats one character, else its start and length. */
function abbreviate(text: string): string {
  const first = [...text][0] ?? '';
  if (text === first.repeat(text.length / first.length)) {
    return `<${JSON.stringify(first)} × ${text.length / first.length}>`;
  }
  return `${text.slice(0, 40)}… (${text.length} chars)`;
}

/** For messages: long strings and lists shortened, so a failure stays readable. */
export function describeValue(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'string' && item.length > 120) return abbreviate(item);
    if (Array.isArray(item) && item.length > 10) {
      return [...item.slice(0, 2), `… ${item.length} items in all, every one like the first`];
    }
    return item;
  });
}

export function describeRequest(request: FuzzRequest): string {
  const { document, variables } = render(request);
  const shortDocument = document.replace(/"((?:[^"\\]|\\.){120,})"/g, (_match, text: string) =>
    abbreviate(text),
  );
  return `auth: ${request.auth}\ndocument: ${shortDocument}\nvariables: ${describeValue(variables)}`;
}

/** fast-check prints counterexamples with this: the document, not the tree. */
function withToString(request: FuzzRequest): FuzzRequest {
  return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
}
