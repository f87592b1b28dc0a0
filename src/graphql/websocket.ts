import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { specifiedRules, validate, type GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { bearerToken } from '../auth/access-tokens.js';
import { buildContext, type AppServices } from '../context.js';
import { formatError } from '../errors/format-error.js';
import { clientIp } from '../http/client-ip.js';
import type { createArmor } from './security.js';

const MAX_MESSAGE_BYTES = 64 * 1024;
const KEEP_ALIVE_MS = 12_000;

type ConnectionParams = Record<string, unknown> & { authorization?: unknown };

/**
 * graphql-ws on the HTTP server's /graphql. A socket must present a valid access token in
 * connectionParams.authorization, or graphql-ws closes it with 4403. The same limits and the
 * same error masking as HTTP apply.
 */
export function attachWebSocketServer(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  app: AppServices;
  armor: ReturnType<typeof createArmor>;
}): { close(): Promise<void> } {
  const { httpServer, schema, app, armor } = options;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: MAX_MESSAGE_BYTES,
  });
  const rules = [...specifiedRules, ...armor.validationRules];
  const format = (errors: readonly GraphQLError[]) =>
    errors.map((error) => formatError(error.toJSON(), error));

  const server = useServer<ConnectionParams, { request: IncomingMessage }>(
    {
      schema,
      validate: (s, document) => validate(s, document, rules),
      onConnect: async ({ connectionParams }) => {
        const token = bearerToken(connectionParams?.authorization);
        // false makes graphql-ws close the socket with 4403 Forbidden.
        return token !== undefined && (await app.accessTokens.verify(token)) !== undefined;
      },
      context: ({ connectionParams, extra }) => {
        const requestId = randomUUID();
        return buildContext(app, {
          authorization: connectionParams?.authorization,
          ip: clientIp(extra.request, app.config.trustProxy),
          requestId,
          log: app.log.child({ requestId, transport: 'ws' }),
        });
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    wsServer,
    KEEP_ALIVE_MS,
  );

  return {
    async close() {
      await server.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
