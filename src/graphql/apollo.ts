import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../context.js';
import { formatError, isExpectedError } from '../errors/format-error.js';
import { MAX_TOKENS, type createArmor } from './security.js';

/** Unexpected errors are masked in the response (formatError) and logged here with the request id. */
const logUnexpectedErrors: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          if (!isExpectedError(error)) {
            contextValue.log.error({ err: unwrapResolverError(error), path: error.path }, 'unexpected error');
          }
        }
      },
    };
  },
};

export function createApolloServer(options: {
  schema: GraphQLSchema;
  httpServer: Server;
  armor: ReturnType<typeof createArmor>;
  production: boolean;
  /** Called when Apollo stops, before the HTTP server drains: closes the WebSocket server. */
  onStop: () => Promise<void>;
}): ApolloServer<Context> {
  const { schema, httpServer, armor, production, onStop } = options;
  return new ApolloServer<Context>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: !production,
    allowBatchedHttpRequests: false,
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: MAX_TOKENS },
    plugins: [
      // graphql-armor's typings point at Apollo's CommonJS build; the plugins are the same objects.
      ...(armor.plugins as unknown as ApolloServerPlugin<Context>[]),
      logUnexpectedErrors,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: onStop }) },
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
    ],
  });
}
