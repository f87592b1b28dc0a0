import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { specifiedRules, validate, type GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken } from '../auth/access-tokens.js';
import { buildContext, type AppServices } from '../context.js';
import { formatError } from '../errors/format-error.js';
import { clientIp } from '../http/client-ip.js';
import type { createArmor } from './security.js';

const MAX_MESSAGE_BYTES = 64 * 1024;
const KEEP_ALIVE_MS = 12_000;
export const MAX_SOCKETS_PER_USER = 10;
/** Close code for a user over MAX_SOCKETS_PER_USER (4403 is reserved for a bad token). */
export const TOO_MANY_SOCKETS = 4429;

type ConnectionParams = Record<string, unknown> & { authorization?: unknown };

type Extra = Record<PropertyKey, unknown> & {
  socket: WebSocket;
  request: IncomingMessage;
  /** Set once onConnect accepted the socket's token: counted against the user's socket cap. */
  userId?: string;
};

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

  const socketsPerUser = new Map<string, number>();

  const server = useServer<ConnectionParams, Extra>(
    {
      schema,
      validate: (s, document) => validate(s, document, rules),
      onConnect: async ({ connectionParams, extra }) => {
        const token = bearerToken(connectionParams?.authorization);
        const userId = token ? await app.accessTokens.verify(token) : undefined;
        // false makes graphql-ws close the socket with 4403 Forbidden.
        if (!userId) return false;
        const open = socketsPerUser.get(userId) ?? 0;
        if (open >= MAX_SOCKETS_PER_USER) {
          extra.socket.close(TOO_MANY_SOCKETS, 'Too many open sockets for this user');
          return false;
        }
        socketsPerUser.set(userId, open + 1);
        extra.userId = userId;
        return true;
      },
      onClose: ({ extra }) => {
        if (!extra.userId) return;
        const open = (socketsPerUser.get(extra.userId) ?? 1) - 1;
        if (open > 0) socketsPerUser.set(extra.userId, open);
        else socketsPerUser.delete(extra.userId);
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
