import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken } from '../auth/access-tokens.js';
import { buildContext, type AppServices } from '../context.js';
import { createErrorFormatter } from '../errors/format-error.js';
import { clientIp } from '../http/client-ip.js';
import type { OperationLimits } from './operation-limits.js';
import { SocketSessions } from './socket-sessions.js';
import { SubscriptionCount } from './subscription-count.js';

const MAX_MESSAGE_BYTES = 64 * 1024;
const KEEP_ALIVE_MS = 12_000;
export const MAX_SOCKETS_PER_USER = 10;
/** Close code for too many sockets of one user, or too many messages on one socket. */
export const TOO_MANY_REQUESTS = 4429;

type ConnectionParams = Record<string, unknown> & { authorization?: unknown; Authorization?: unknown };

/** The token header, as `authorization` or as typed in Sandbox's headers tab (`Authorization`). */
const authorizationOf = (params: ConnectionParams | undefined | null): unknown =>
  params?.authorization ?? params?.Authorization;

type Extra = Record<PropertyKey, unknown> & { socket: WebSocket; request: IncomingMessage };

/**
 * graphql-ws on the HTTP server's /graphql. A socket must present a valid access token in
 * connectionParams.authorization, or graphql-ws closes it with 4403; it is closed again when
 * that sign-in ends (SocketSessions). Every operation passes the same parse, validation and
 * cost limits as over HTTP (OperationLimits), errors are formatted alike, and each socket may
 * send WS_MESSAGES_PER_MINUTE messages.
 */
export function attachWebSocketServer(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  app: AppServices;
  limits: OperationLimits;
}): { close(): Promise<void> } {
  const { httpServer, schema, app, limits } = options;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: MAX_MESSAGE_BYTES,
  });
  const formatter = createErrorFormatter({ hideSuggestions: app.config.nodeEnv === 'production' });
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => formatter(error.toJSON(), error));
  const sessions = new SocketSessions(app.pubSub, app.clock);

  // Registered before graphql-ws's own listener, so a flooding socket is closed first.
  const messages = new RateLimiterMemory({ points: app.config.wsMessagesPerMinute, duration: 60 });
  const { metrics } = app;
  wsServer.on('connection', (socket) => {
    const key = randomUUID();
    metrics.socketsOpen.inc();
    socket.on('message', () => {
      messages.consume(key).catch(() => {
        metrics.rateLimitRejections.inc({ limiter: 'ws_messages' });
        socket.close(TOO_MANY_REQUESTS, 'Too many messages');
      });
    });
    socket.once('close', () => {
      metrics.socketsOpen.dec();
      void messages.delete(key);
    });
  });
  const subscriptions = new SubscriptionCount(metrics);

  const server = useServer<ConnectionParams, Extra>(
    {
      schema,
      onConnect: async ({ connectionParams, extra }) => {
        const token = bearerToken(authorizationOf(connectionParams));
        const checked = token ? await app.accessTokens.verify(token) : undefined;
        if (!checked?.ok) {
          // 4403 Forbidden as graphql-ws would, with the reason (as extensions.reason over HTTP).
          extra.socket.close(CloseCode.Forbidden, checked?.reason ?? 'TOKEN_MISSING');
          return false;
        }
        const verified = checked.token;
        if (sessions.count(verified.userId) >= MAX_SOCKETS_PER_USER) {
          metrics.rateLimitRejections.inc({ limiter: 'ws_sockets_per_user' });
          extra.socket.close(TOO_MANY_REQUESTS, 'Too many open sockets for this user');
          return false;
        }
        sessions.add(verified.userId, {
          socket: extra.socket,
          sessionId: verified.sessionId,
          expiresAt: verified.expiresAt,
        });
        return true;
      },
      onSubscribe: (_ctx, _id, payload) => {
        const document = limits.parse(payload.query);
        if (!('kind' in document)) return [document];
        const invalid = limits.validate(schema, document);
        if (invalid.length > 0) return invalid;
        const tooCostly = limits.checkCost(
          schema,
          document,
          payload.variables ?? undefined,
          payload.operationName,
        );
        if (tooCostly) return [tooCostly];
        return {
          schema,
          document,
          variableValues: payload.variables,
          operationName: payload.operationName,
        };
      },
      context: ({ connectionParams, extra }) => {
        const requestId = randomUUID();
        return buildContext(app, {
          authorization: authorizationOf(connectionParams),
          ip: clientIp(extra.request, app.config.trustProxy),
          requestId,
          log: app.log.child({ requestId, transport: 'ws' }),
        });
      },
      onOperation: (ctx, id, _payload, _args, result) => subscriptions.started(ctx, id, result),
      onComplete: (ctx, id) => subscriptions.ended(ctx, id),
      onClose: (ctx) => subscriptions.closed(ctx),
      onError: (_ctx, _id, _payload, errors) => format(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
    },
    wsServer,
    KEEP_ALIVE_MS,
  );

  return {
    async close() {
      sessions.close();
      await server.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
