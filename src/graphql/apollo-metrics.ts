import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { ErrorCode } from '../errors/app-error.js';
import type { Context } from '../context.js';
import type { Metrics } from '../metrics/metrics.js';

/**
 * Operation names are the client's to choose, so the label is bounded: names longer than this,
 * and new names once this many are known, count as 'other'.
 */
const MAX_NAME_LENGTH = 64;
export const MAX_OPERATION_NAMES = 200;

/** The `outcome` label: 'ok', one of these codes (the first error's), or 'OTHER'. */
const KNOWN_CODES = new Set<string>([...Object.values(ErrorCode), ...Object.values(ApolloServerErrorCode)]);

function outcomeOf(body: GraphQLResponse['body']): string {
  const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  if (!errors?.length) return 'ok';
  const code = errors[0]!.extensions?.code;
  return typeof code === 'string' && KNOWN_CODES.has(code) ? code : 'OTHER';
}

/**
 * Counts and times each GraphQL operation over HTTP by name, type and outcome, once the response
 * is formatted (so the outcome is the code the client sees). An operation that never resolved
 * (a parse or validation error, an unknown persisted query) is of type 'unknown'.
 */
export function operationMetrics(metrics: Metrics): ApolloServerPlugin<Context> {
  const names = new Set<string>();
  const nameLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (names.has(name)) return name;
    if (name.length > MAX_NAME_LENGTH || names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, response }) {
          const labels = { operation: nameLabel(operationName), type: operation?.operation ?? 'unknown' };
          metrics.graphqlOperations.inc({ ...labels, outcome: outcomeOf(response.body) });
          metrics.graphqlDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
