import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';

export interface MetricsServer {
  /** The bound port (METRICS_PORT=0 picks a free one). */
  port: number;
  close(): Promise<void>;
}

/**
 * GET /metrics, Prometheus text format, on a listener of its own (METRICS_PORT on METRICS_HOST,
 * loopback by default) and never on the API's: routes, error rates and pool use are for the
 * operator's scraper, not for whoever can reach the API. A plain node:http server: no Express
 * stack (CORS, body parsing, access logs) to run for a scrape every few seconds.
 */
export async function serveMetrics(options: {
  registry: Registry;
  port: number;
  host: string;
  log: Logger;
}): Promise<MetricsServer> {
  const { registry, log } = options;
  const server = createServer(async (req, res) => {
    if (new URL(req.url ?? '/', 'http://metrics').pathname !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end();
      return;
    }
    try {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      log.error({ err: error }, 'metrics collection failed');
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics collection failed\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper keeps its connection alive between scrapes; a scrape in flight is cut too.
        server.closeAllConnections();
      }),
  };
}
