import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { LOGIN, REGISTER, registerUser, uniqueEmail } from './helpers/users.js';

let server: TestServer;

// Behind a trusted proxy, X-Forwarded-For names the client: each test uses its own fake address,
// so counters left in a shared Redis by another run or file cannot interfere.
const fakeIp = () => `198.51.100.${randomInt(1, 255)}-${randomInt(1e9)}`;

beforeAll(async () => {
  server = await startTestServer({ authRateLimit: 3, trustProxy: true });
});
afterAll(() => server?.close());

describe('auth rate limits', () => {
  it('allows AUTH_RATE_LIMIT auth requests per IP and minute, then RATE_LIMITED with retryAfter', async () => {
    const client = server.client().withHeaders({ 'x-forwarded-for': fakeIp() });
    const user = await registerUser(client); // 1
    await client.data(LOGIN, { input: { email: user.email, password: user.password } }); // 2
    await client.request('mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', {
      t: user.refreshToken,
    }); // 3
    const limited = await client.request(REGISTER, {
      input: { email: uniqueEmail(), password: 'password123' },
    });
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = limited.errors?.[0]?.extensions?.retryAfter as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another client address is not affected.
    const elsewhere = server.client().withHeaders({ 'x-forwarded-for': fakeIp() });
    expect(
      (await elsewhere.request(LOGIN, { input: { email: user.email, password: user.password } })).errors,
    ).toBe(undefined);
  });

  it('does not limit signed-in operations such as me', async () => {
    const ip = fakeIp();
    const user = await registerUser(server.client().withHeaders({ 'x-forwarded-for': ip }));
    const client = server.client(user.accessToken).withHeaders({ 'x-forwarded-for': ip });
    for (let i = 0; i < 6; i++) expect((await client.data('{ me { id } }')).me.id).toBe(user.id);
  });
});
