import type { RequestHandler } from 'express';
import type { Metrics } from './metrics.js';

/** The `route` label: the API's few routes by name; any other path (probes, typos) is 'other'. */
export function routeOf(path: string): string {
  if (path === '/graphql' || path === '/healthz' || path === '/readyz' || path === '/') return path;
  if (path.startsWith('/export/')) return '/export';
  if (path.startsWith('/assets/')) return '/assets';
  return 'other';
}

/**
 * Counts and times every request Express sees (first middleware, so refusals by later ones are
 * counted too), when its response ends: 'close' fires for a finished response and for a client
 * that went away first, which is counted with status 'aborted'.
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const route = routeOf(req.path);
    res.once('close', () => {
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      metrics.httpRequests.inc({ route, status });
      metrics.httpDuration.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
