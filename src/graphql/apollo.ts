import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Context } from '../context.js';
import type { Metrics } from '../metrics/metrics.js';
import { createErrorFormatter, isExpectedError } from '../errors/format-error.js';
import { operationMetrics } from './apollo-metrics.js';
import { compiledExecutor } from './compiled-executor.js';
import type { OperationLimits } from './operation-limits.js';
import type { persistedQueries } from './persisted-queries.js';

/**
 * Unexpected errors are masked in the response (formatError) and logged here with the request
 * id; errors the client caused (bad input, a wrong persisted-query hash) only at debug.
 */
const logErrors: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          if (!isExpectedError(error)) {
            contextValue.log.error({ err: unwrapResolverError(error), path: error.path }, 'unexpected error');
          } else {
            contextValue.log.debug({ message: error.message, path: error.path }, 'request error');
          }
        }
      },
    };
  },
};

/** The operation's name and type for the request's access log line (http/request-log.ts). */
const recordOperation: ApolloServerPlugin<Context> = {
  async requestDidStart({ request, contextValue }) {
    if (request.operationName) contextValue.facts.operationName = request.operationName;
    return {
      async didResolveOperation({ operation, operationName, contextValue }) {
        if (operationName) contextValue.facts.operationName = operationName;
        if (operation) contextValue.facts.operationType = operation.operation;
      },
    };
  },
};

/**
 * Once the operation is known and before anything runs: subscriptions belong on the WebSocket,
 * and the cost, with the request's variables, must be within the limit.
 */
function operationChecks(schema: GraphQLSchema, limits: OperationLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError(
              'Subscriptions are served over WebSocket (graphql-ws protocol) at this same /graphql URL, not over HTTP',
              { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
            );
          }
          const tooCostly = limits.checkCost(schema, document, request.variables, request.operationName);
          if (tooCostly) throw tooCostly;
        },
      };
    },
  };
}

export function createApolloServer(options: {
  schema: GraphQLSchema;
  httpServer: Server;
  limits: OperationLimits;
  production: boolean;
  /** Where persisted queries are kept (persisted-queries.ts). */
  persistedQueries: ReturnType<typeof persistedQueries>;
  /** Called when Apollo stops, before the HTTP server drains: closes the WebSocket server. */
  onStop: () => Promise<void>;
  /** Operations are counted and timed here (apollo-metrics.ts). */
  metrics: Metrics;
}): ApolloServer<Context> {
  const { schema, httpServer, limits, production, onStop } = options;
  return new ApolloServer<Context>({
    // The schema, executed by compiled code (graphql-jit) through Apollo's executor hook.
    gateway: compiledExecutor(schema),
    formatError: createErrorFormatter({ hideSuggestions: production }),
    includeStacktraceInErrorResponses: false,
    introspection: !production,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGINT/SIGTERM: Apollo's handler would re-raise the signal and race the
    // app's own shutdown (drain, close the database) for the exit code.
    stopOnTerminationSignals: false,
    persistedQueries: options.persistedQueries,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      operationMetrics(options.metrics),
      recordOperation,
      operationChecks(schema, limits),
      logErrors,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // The API sends no cache hints; the default plugin would still run on every field.
      ApolloServerPluginCacheControlDisabled(),
      { serverWillStart: async () => ({ drainServer: onStop }) },
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
    ],
  });
}
