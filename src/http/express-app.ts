import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import { buildContext, type AppServices, type Context } from '../context.js';
import { ErrorCode } from '../errors/app-error.js';
import { httpMetrics } from '../metrics/http-metrics.js';
import { sendHttpError } from '../errors/http-error.js';
import { clientIp } from './client-ip.js';
import { dashboardPage } from './dashboard-page.js';
import { graphiqlPage } from './graphiql-page.js';
import { requestFacts, requestLog } from './request-log.js';

/** A GraphQL request's body, apart from a file to import. */
const MAX_BODY = 1024 * 1024;
const READY_TIMEOUT_MS = 2000;

/**
 * A plain HTTP route a feature serves (e.g. the export), mounted by the composition root. It gets
 * the same context as a GraphQL operation, so authentication is decided in one place.
 */
export interface ContextRoute {
  /** GET unless said otherwise; a POST route reads its own body (no parser runs before it). */
  method?: 'get' | 'post';
  path: string;
  handle(context: Context, req: Request, res: Response): Promise<void>;
}

/** Routes: /healthz, /readyz, the features' routes and /graphql, with request ids, CORS and JSON body errors. */
export function createExpressApp(
  app: AppServices,
  apollo: ApolloServer<Context>,
  routes: ContextRoute[],
): Express {
  const contextOf = (req: Request, res: Response) =>
    buildContext(app, {
      authorization: req.headers.authorization,
      ip: clientIp(req, app.config.trustProxy),
      requestId: String(req.id),
      log: req.log,
      facts: requestFacts(res),
    });
  const server = express();
  server.disable('x-powered-by');
  server.use(httpMetrics(app.metrics));
  server.use(requestLog(app.log, app.config.slowRequestMs));

  // nosniff, frame refusal, no referrer and the rest of helmet's defaults on every route. The
  // Content-Security-Policy is the page's own (dashboard-page.ts): a JSON API needs none, and
  // the Sandbox page outside production loads Apollo's embed, which a strict one would block.
  server.use(
    helmet({
      contentSecurityPolicy: false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  server.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    const database = await databaseAnswers(app);
    // Without Redis, alerts are still stored and listed; only live delivery to other instances waits.
    const pubSub = app.pubSubState();
    res.status(database ? 200 : 503).json({ status: database ? 'ok' : 'unavailable', database, pubSub });
  });

  for (const route of routes) {
    server[route.method ?? 'get'](route.path, async (req, res) =>
      route.handle(await contextOf(req, res), req, res),
    );
  }
  server.use(dashboardPage());
  server.use(graphiqlPage());

  server.use(
    '/graphql',
    cors(corsOptions(app)),
    // A file sent to previewImport or commitImport as a string may be up to IMPORT_MAX_BYTES, escaped in JSON.
    express.json({ limit: Math.max(MAX_BODY, Math.ceil(app.config.importMaxBytes * 1.25) + MAX_BODY) }),
    expressMiddleware(apollo, { context: async ({ req, res }) => contextOf(req, res) }),
  );

  server.use(bodyErrors);
  return server;
}

/** Any origin while developing (Apollo Sandbox's frame has its own); in production only CORS_ORIGINS. */
function corsOptions(app: AppServices): cors.CorsOptions {
  const { corsOrigins, nodeEnv } = app.config;
  if (corsOrigins.includes('*') || (corsOrigins.length === 0 && nodeEnv !== 'production'))
    return { origin: true };
  return { origin: corsOrigins };
}

async function databaseAnswers(app: AppServices): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  const query = app.orm.em
    .getConnection()
    .execute('select 1')
    .then(() => true)
    .catch(() => false);
  const answered = await Promise.race([query, timeout]);
  clearTimeout(timer);
  return answered;
}

/** Malformed or oversized bodies get a 4xx with a JSON error, never an HTML 500. */
const bodyErrors: ErrorRequestHandler = (error, req, res, _next) => {
  const status =
    typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) req.log.error({ err: error }, 'unexpected HTTP error');
  const message =
    error?.type === 'entity.parse.failed'
      ? 'Malformed JSON body'
      : status === 413
        ? 'Request body too large'
        : status === 500
          ? 'Internal server error'
          : 'Bad request';
  const code = status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_USER_INPUT;
  // The 4xx express gave (413, 415, …) is kept: more precise than BAD_USER_INPUT's 400.
  sendHttpError(res, code, message, { status });
};
