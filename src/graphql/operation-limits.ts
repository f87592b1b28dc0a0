import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { createRequire } from 'node:module';
import type { CostContext, UserLimits } from '../limits/cost.js';

// The CommonJS build, like type-graphql and Apollo: its ES build imports graphql's .mjs files, a
// second copy of graphql that refuses the schema ("from another module or realm").
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof import('graphql-query-complexity');

/** A document longer than this many tokens is refused while parsing, before any other work. */
export const MAX_TOKENS = 2000;
/** Fields and fragments the cost count visits at most (a fragment bomb stops here). */
const MAX_COUNTED_NODES = 10_000;

export interface OperationLimitSettings {
  maxQueryCost: number;
  limits: UserLimits;
}

/**
 * Everything an operation must pass before it runs, the same on both transports: the token
 * limit while parsing; depth, alias and directive limits with graphql-js's own validation; and a
 * cost computed with the operation's variables (so `first: $n` counts as n), refused above
 * MAX_QUERY_COST. Apollo (HTTP) and graphql-ws (WebSocket) both take them from here.
 */
export class OperationLimits {
  readonly parseOptions = { maxTokens: MAX_TOKENS };
  /** The rules added to graphql-js's specified ones. */
  readonly validationRules: ValidationRule[];

  constructor(private readonly settings: OperationLimitSettings) {
    const armor = new ApolloArmor({
      maxDepth: { n: 10 },
      maxAliases: { n: 15 },
      maxDirectives: { n: 20 },
      // Counted by graphql-js's parser (MAX_TOKENS): armor's token plugin turns a syntax error into a 500.
      maxTokens: { enabled: false },
      // Armor's cost rule cannot see variables; ours below can.
      costLimit: { enabled: false },
      // Suggestions are removed from every error by the error formatter, on both transports.
      blockFieldSuggestion: { enabled: false },
    }).protect();
    this.validationRules = armor.validationRules as ValidationRule[];
  }

  /** Parses within the token limit; a syntax error or an oversized document is GRAPHQL_PARSE_FAILED. */
  parse(query: unknown): DocumentNode | GraphQLError {
    if (typeof query !== 'string') return requestError('GRAPHQL_PARSE_FAILED', 'The query must be a string');
    try {
      return parse(query, this.parseOptions);
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : 'The query could not be parsed';
      return requestError('GRAPHQL_PARSE_FAILED', message);
    }
  }

  /** graphql-js's rules and ours; every error is GRAPHQL_VALIDATION_FAILED. */
  validate(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
    return validate(schema, document, [...specifiedRules, ...this.validationRules]).map((error) =>
      requestError('GRAPHQL_VALIDATION_FAILED', error.message, error),
    );
  }

  /**
   * The operation's cost with these variables, or an error when it is over the limit. Variables
   * that do not coerce are left to execution, which refuses them before any resolver runs.
   */
  checkCost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | undefined | null,
  ): GraphQLError | undefined {
    const context: CostContext = { limits: this.settings.limits };
    let cost: number;
    try {
      cost = getComplexity({
        schema,
        query: document,
        variables: variables ?? {},
        operationName: operationName ?? undefined,
        context,
        maxQueryNodes: MAX_COUNTED_NODES,
        estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      if (/maximum allowed number of nodes/.test(error.message)) {
        return requestError('GRAPHQL_VALIDATION_FAILED', 'The operation has too many fields to count');
      }
      return undefined; // variables that do not coerce: execution refuses them with their own code
    }
    const max = this.settings.maxQueryCost;
    if (cost <= max) return undefined;
    return requestError(
      'GRAPHQL_VALIDATION_FAILED',
      `The operation costs ${Math.ceil(cost)}, more than the limit of ${max}: ask for fewer items (first, periods) or fewer fields`,
      undefined,
      { cost: Math.ceil(cost), maxCost: max },
    );
  }
}

function requestError(
  code: string,
  message: string,
  source?: GraphQLError,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, {
    nodes: source?.nodes,
    extensions: { code, ...extra, http: { status: 400 } },
  });
}
