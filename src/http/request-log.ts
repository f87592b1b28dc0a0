import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { pinoHttp, startTime, type HttpLogger } from 'pino-http';
import type { RequestFacts } from '../context.js';
import type { Logger } from '../logger.js';

const UNLOGGED = new Set(['/healthz', '/readyz', '/favicon.ico', '/favicon.svg']);

/** The request's facts object, shared with its GraphQL context (context.ts), created on first use. */
export function requestFacts(res: Response | ServerResponse): RequestFacts {
  const locals = ((res as Response).locals ??= {}) as { facts?: RequestFacts };
  return (locals.facts ??= {});
}

/**
 * One line per request when it ends: method, path, status, ms, the GraphQL operation's name and
 * type, the user id (never the email) and the request id, which is also the X-Request-Id
 * header. Headers only at debug. 5xx at error, slower than SLOW_REQUEST_MS at warn.
 */
export function requestLog(log: Logger, slowRequestMs: number): HttpLogger<IncomingMessage, ServerResponse> {
  const elapsed = (res: ServerResponse) =>
    Date.now() - ((res as unknown as Record<symbol, number>)[startTime] ?? Date.now());
  return pinoHttp({
    logger: log,
    genReqId: (_req, res) => {
      const id = randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    autoLogging: { ignore: (req) => UNLOGGED.has(req.url?.split('?')[0] ?? '') },
    // req.log carries only the request id (reqId), which ties a line to its access log: binding
    // the whole serialized request to every request's logger costs more than the query.
    quietReqLogger: true,
    serializers: {
      req: (req: { method: string; url: string; headers: unknown }) =>
        log.isLevelEnabled('debug')
          ? { method: req.method, url: req.url, headers: req.headers }
          : { method: req.method, url: req.url.split('?')[0] },
      res: (res: { statusCode: number; headers: unknown }) =>
        log.isLevelEnabled('debug')
          ? { statusCode: res.statusCode, headers: res.headers }
          : { statusCode: res.statusCode },
    },
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      return elapsed(res) > slowRequestMs ? 'warn' : 'info';
    },
    customProps: (_req, res) => {
      const facts = requestFacts(res);
      if (!facts.operationName && !facts.operationType && !facts.userId)
        return undefined as unknown as object;
      return {
        operation: facts.operationName,
        operationType: facts.operationType,
        userId: facts.userId,
      };
    },
    customSuccessMessage: (req, res, ms) => summary(req as Request, res, ms),
    customErrorMessage: (req, res) => summary(req as Request, res, elapsed(res)),
  });
}

/** "POST /graphql 200 12 ms mutation CreateTransaction": what a person scanning the log needs. */
function summary(req: Request, res: ServerResponse, ms: number): string {
  const facts = requestFacts(res);
  const path = (req.originalUrl ?? req.url).split('?')[0];
  const operation = facts.operationType
    ? ` ${facts.operationType} ${facts.operationName ?? '(anonymous)'}`
    : facts.operationName
      ? ` ${facts.operationName}`
      : '';
  return `${req.method} ${path} ${res.statusCode} ${ms} ms${operation}`;
}
