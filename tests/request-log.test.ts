/**
 * The access log: one line per request when it ends, with method, path, status, time, the GraphQL
 * operation's name and type, the user id (never the email or a token) and the request id; headers
 * only at debug; a request slower than SLOW_REQUEST_MS at warn; health checks not at all.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { capturingLogger } from './helpers/logs.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Line = Record<string, any>;
const requestLines = (lines: string[]): Line[] =>
  lines.map((line) => JSON.parse(line) as Line).filter((line) => line.responseTime !== undefined);

describe('request log', () => {
  it('one line per request: operation, type, user id, request id; no headers, email or token', async () => {
    const { log, lines } = capturingLogger('info');
    server = await startTestServer({ slowRequestMs: 60_000 }, { log });
    const user = await registerUser(server.client());
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.accessToken}` },
      body: JSON.stringify({ query: 'query WhoAmI { me { id email } }', operationName: 'WhoAmI' }),
    });
    expect(response.status).toBe(200);
    await fetch(`${server.origin}/healthz`);

    const logged = requestLines(lines);
    const me = logged.filter((line) => line.operation === 'WhoAmI');
    expect(me).toHaveLength(1);
    const [line] = me as [Line];
    expect(line).toMatchObject({
      level: 30,
      operation: 'WhoAmI',
      operationType: 'query',
      userId: user.id,
      reqId: response.headers.get('x-request-id'),
      req: { method: 'POST', url: '/graphql' },
      res: { statusCode: 200 },
    });
    expect(line.msg).toMatch(/^POST \/graphql 200 \d+ ms query WhoAmI$/);
    expect(line.req.headers).toBeUndefined();
    const text = JSON.stringify(line);
    expect(text).not.toContain(user.email);
    expect(text).not.toContain(user.accessToken);
    // The registration was logged too (a mutation, before anyone was signed in); the health check was not.
    expect(logged.some((entry) => entry.operationType === 'mutation' && entry.userId === undefined)).toBe(
      true,
    );
    expect(logged.some((entry) => entry.req?.url === '/healthz')).toBe(false);
  });

  it('headers only at debug, with the authorization redacted', async () => {
    const { log, lines } = capturingLogger('debug');
    server = await startTestServer({}, { log });
    await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer secret-token-value',
        'x-probe': 'yes',
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const [line] = requestLines(lines).filter((entry) => entry.req?.url === '/graphql') as [Line];
    expect(line.req.headers['x-probe']).toBe('yes');
    expect(line.req.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(line)).not.toContain('secret-token-value');
  });

  it('a request slower than SLOW_REQUEST_MS is logged at warn', async () => {
    const { log, lines } = capturingLogger('info');
    server = await startTestServer({ slowRequestMs: 20 }, { log });
    // The body arrives 100 ms after the headers: the request takes at least that long, however fast the machine.
    const body = JSON.stringify({ query: 'query Slow { __typename }', operationName: 'Slow' });
    const { port } = new URL(server.url);
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => res.resume().on('end', resolve),
      );
      req.on('error', reject);
      req.flushHeaders();
      setTimeout(() => req.end(body), 100);
    });
    const [line] = requestLines(lines).filter((entry) => entry.operation === 'Slow') as [Line];
    expect(line.level).toBe(40);
    expect(line.responseTime).toBeGreaterThanOrEqual(20);
  });
});
