import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { CHANGE_PASSWORD, LOGIN, ME, REFRESH_TOKEN } from './helpers/operations.js';
import { registerUser, uniqueEmail } from './helpers/users.js';

/**
 * Guessing passwords is limited without letting anyone lock someone else out: failed logins are
 * counted per (email, client IP) and per IP, wrong current passwords per user, and bcrypt work
 * queues in a bounded line so a burst of it cannot stall other requests.
 */

const FAILS_PER_PAIR = 10;
const FAILS_PER_IP = 30;
const PASSWORD_CHECKS = 5;

// Behind a trusted proxy, X-Forwarded-For names the client: each test uses addresses of its own,
// so counters left in a shared Redis by another run cannot interfere.
const fakeIp = () => `198.51.100.${randomInt(1, 255)}-${randomInt(1e9)}`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    trustProxy: true,
    loginFailsPerEmailAndIp: FAILS_PER_PAIR,
    loginFailsPerIpPerDay: FAILS_PER_IP,
    passwordCheckFails: PASSWORD_CHECKS,
  });
});
afterAll(() => server?.close());

const from = (ip: string, token?: string) => server.client(token).withHeaders({ 'x-forwarded-for': ip });
const login = (ip: string, email: string, password: string) =>
  from(ip).request(LOGIN, { input: { email, password } });
const codeOf = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;

describe('failed logins', () => {
  it('block the (email, IP) pair after 10 in a row, not the email: the owner elsewhere still signs in', async () => {
    const user = await registerUser(from(fakeIp()));
    const attacker = fakeIp();
    for (let attempt = 0; attempt < FAILS_PER_PAIR; attempt++) {
      expect(codeOf(await login(attacker, user.email, `wrong ${attempt}`))).toBe('UNAUTHENTICATED');
    }
    const blocked = await login(attacker, user.email, user.password);
    expect(codeOf(blocked)).toBe('RATE_LIMITED');
    expect(blocked.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(60);

    const owner = await login(fakeIp(), user.email.toUpperCase(), user.password);
    expect(owner.errors).toBeUndefined();
  });

  it('count consecutive failures: a success from the pair starts the count again', async () => {
    const user = await registerUser(from(fakeIp()));
    const ip = fakeIp();
    for (let round = 0; round < 2; round++) {
      for (let attempt = 0; attempt < FAILS_PER_PAIR - 1; attempt++) {
        expect(codeOf(await login(ip, user.email, 'not the password'))).toBe('UNAUTHENTICATED');
      }
      expect((await login(ip, user.email, user.password)).errors).toBeUndefined();
    }
  });

  it('from one IP across many emails are limited per day (slow brute force); other IPs are not', async () => {
    const ip = fakeIp();
    const user = await registerUser(from(fakeIp()));
    for (let attempt = 0; attempt < FAILS_PER_IP; attempt++) {
      expect(codeOf(await login(ip, uniqueEmail('nobody'), 'guess guess'))).toBe('UNAUTHENTICATED');
    }
    expect(codeOf(await login(ip, user.email, user.password))).toBe('RATE_LIMITED');
    expect((await login(fakeIp(), user.email, user.password)).errors).toBeUndefined();
  });

  it('are counted before bcrypt runs, so concurrent guesses cannot exceed the limit', async () => {
    const user = await registerUser(from(fakeIp()));
    const ip = fakeIp();
    const results = await Promise.all(
      Array.from({ length: 3 * FAILS_PER_PAIR }, (_, i) => login(ip, user.email, `guess ${i}`)),
    );
    const codes = results.map(codeOf);
    expect(codes.filter((code) => code === 'UNAUTHENTICATED')).toHaveLength(FAILS_PER_PAIR);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(2 * FAILS_PER_PAIR);
  });

  it('a password longer than 72 bytes never signs in, even when its first 72 bytes are right', async () => {
    const password = 'p'.repeat(72);
    const user = await registerUser(from(fakeIp()), { password });
    expect((await login(fakeIp(), user.email, password)).errors).toBeUndefined();
    expect(codeOf(await login(fakeIp(), user.email, `${password}extra`))).toBe('UNAUTHENTICATED');
  });
});

describe('changePassword', () => {
  it('allows 5 wrong current passwords an hour; the 5th ends every session, then RATE_LIMITED', async () => {
    const ip = fakeIp();
    const user = await registerUser(from(ip));
    const client = from(ip, user.accessToken);
    for (let attempt = 1; attempt <= PASSWORD_CHECKS; attempt++) {
      const wrong = await client.request(CHANGE_PASSWORD, { c: `wrong ${attempt}`, n: 'new password 1' });
      expect(wrong.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
      // Sessions survive until the last allowed attempt.
      const refreshed = await from(ip).request(REFRESH_TOKEN, { t: user.refreshToken });
      if (attempt < PASSWORD_CHECKS) {
        expect(refreshed.errors).toBeUndefined();
        user.refreshToken = (
          refreshed.data as { refreshToken: { refreshToken?: string } }
        ).refreshToken.refreshToken!;
      } else {
        expect(codeOf(refreshed)).toBe('UNAUTHENTICATED');
      }
    }
    const limited = await client.request(CHANGE_PASSWORD, { c: user.password, n: 'new password 1' });
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    // The password did not change.
    expect((await login(fakeIp(), user.email, user.password)).errors).toBeUndefined();
  });

  it('counts concurrent wrong attempts before bcrypt: 40 at once, at most 5 are checked', async () => {
    const user = await registerUser(from(fakeIp()));
    const client = from(fakeIp(), user.accessToken);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        client.request(CHANGE_PASSWORD, { c: `guess ${i}`, n: 'x'.repeat(12) }),
      ),
    );
    const codes = results.map(codeOf);
    expect(codes.filter((code) => code === 'BAD_USER_INPUT')).toHaveLength(PASSWORD_CHECKS);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(40 - PASSWORD_CHECKS);
  });
});

describe('bcrypt work', () => {
  let busy: TestServer;
  beforeAll(async () => {
    // One slot and a queue of 2, at a cost where each check takes tens of milliseconds.
    busy = await startTestServer({ trustProxy: true, bcryptCost: 10, bcryptConcurrency: 1, bcryptQueue: 2 });
  });
  afterAll(() => busy?.close());

  it('waits in a bounded queue: a burst beyond it is RATE_LIMITED at once, and others are not held up', async () => {
    const bystander = await registerUser(busy.client().withHeaders({ 'x-forwarded-for': fakeIp() }));
    // The same request on this machine now, without a burst: what "held up" is measured against.
    let quietMs = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await busy.client(bystander.accessToken).data(ME);
      quietMs = Math.max(quietMs, performance.now() - t0);
    }
    const burst = Array.from({ length: 30 }, () =>
      busy
        .client()
        .withHeaders({ 'x-forwarded-for': fakeIp() })
        .request(LOGIN, { input: { email: uniqueEmail('burst'), password: 'some password' } }),
    );
    const started = performance.now();
    const me = await busy.client(bystander.accessToken).data(ME);
    const meMs = performance.now() - started;
    const codes = (await Promise.all(burst)).map(codeOf);

    expect(me.me.id).toBe(bystander.id);
    // At most one running and two waiting at any moment: most of the burst is refused.
    expect(codes.filter((code) => code === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(10);
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(20);
    expect(codes.every((code) => code === 'UNAUTHENTICATED' || code === 'RATE_LIMITED')).toBe(true);
    console.info(
      `[login-protection] { me } during a burst of 30 logins: ${meMs.toFixed(0)} ms (alone: ${quietMs.toFixed(0)} ms)`,
    );
    // Generous, and scaled by this machine's present speed: without the queue 30 bcrypt jobs hold every thread.
    expect(meMs).toBeLessThan(Math.max(3000, 30 * quietMs));
  });
});
