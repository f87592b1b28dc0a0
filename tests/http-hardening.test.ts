import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

/** Security headers on every route, and a request that arrives too slowly is cut. */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ httpRequestTimeout: 1 });
});
afterAll(() => server?.close());

describe('security headers', () => {
  it.each([
    ['GET', '/healthz'],
    ['GET', '/readyz'],
    ['POST', '/graphql'],
    ['GET', '/export/transactions'],
    ['GET', '/'],
  ])('%s %s is served with nosniff and refuses to be framed', async (method, path) => {
    const response = await fetch(`${server.origin}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify({ query: '{ __typename }' }) : undefined,
    });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('the dashboard page keeps its own strict Content-Security-Policy', async () => {
    const csp = (await fetch(`${server.origin}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});

describe('slow requests', () => {
  it('cuts a body drip-fed a byte at a time once HTTP_REQUEST_TIMEOUT has passed', async () => {
    const socket = connect(Number(new URL(server.origin).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (chunk) => (answer += String(chunk)));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
    );
    const started = performance.now();
    const drip = setInterval(() => socket.writable && socket.write(' '), 200);
    try {
      // Checked every second: cut between 1 and about 3 seconds in, generously bounded.
      await Promise.race([
        closed,
        new Promise((_, reject) => setTimeout(() => reject(new Error('not cut')), 10_000)),
      ]);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
    const seconds = (performance.now() - started) / 1000;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(seconds).toBeGreaterThanOrEqual(0.9);
  });
});
