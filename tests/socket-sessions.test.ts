import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from './helpers/timing.js';
import { GraphQLClient } from './helpers/graphql.js';
import {
  startTestServer,
  withPostgresAndRedis,
  withTwoInstances,
  type TestServer,
} from './helpers/server.js';
import { bearer, connect, waitForRedisSubscribers, type Socket } from './helpers/sockets.js';
import { CHANGE_PASSWORD, LOGIN, LOGOUT, ME, REFRESH_TOKEN } from './helpers/operations.js';
import { registerUser, type RegisteredUser } from './helpers/users.js';

/**
 * A live socket lasts only as long as the sign-in it was opened with: it is closed with 4403
 * when its access token expires, when its session is logged out or found stolen (a reused
 * refresh token), and when the password changes; on every server instance.
 */

/** The server checks expiry every second; closing must follow within a few. */
const CLOSE_WITHIN_MS = 5000;

/** The server's clock runs `offset` ms ahead of the wall clock: tests move it instead of sleeping. */
let offset = 0;
const clock = { now: () => Date.now() + offset };

let server: TestServer;
const open: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer({}, { clock });
});
afterAll(async () => {
  await Promise.all(open.map((socket) => socket.client.dispose()));
  await server?.close();
});

async function signedInSocket(url: string, accessToken: string): Promise<Socket> {
  const socket = connect(url, bearer(accessToken));
  open.push(socket);
  await withTimeout(socket.connected, CLOSE_WITHIN_MS, 'connect');
  return socket;
}

async function meOver(socket: Socket): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let id: string | undefined;
    socket.client.subscribe<{ me: { id: string } }>(
      { query: ME },
      { next: (result) => (id = result.data?.me.id), error: reject, complete: () => resolve(id) },
    );
  });
}

/** A second sign-in of the same user: another session (refresh token family). */
async function loginAgain(user: RegisteredUser): Promise<{ accessToken: string; refreshToken: string }> {
  const data = await server.client().data(LOGIN, { input: { email: user.email, password: user.password } });
  return data.login;
}

describe('sockets end with their sign-in', () => {
  it('closes the socket with 4403 when its access token expires, and refuses the expired token', async () => {
    const user = await registerUser(server.client());
    const socket = await signedInSocket(server.url, user.accessToken);
    expect(await meOver(socket)).toBe(user.id);

    offset += (server.config.accessTokenTtl + 1) * 1000;
    try {
      expect(await withTimeout(socket.closed, CLOSE_WITHIN_MS, 'expiry')).toBe(4403);
      const late = connect(server.url, bearer(user.accessToken));
      open.push(late);
      expect(await withTimeout(late.closed, CLOSE_WITHIN_MS, 'expired token')).toBe(4403);
      expect(late.closeReason()).toBe('TOKEN_EXPIRED');
      // A token issued now (by the same clock) works.
      const fresh = await loginAgain(user);
      expect(await meOver(await signedInSocket(server.url, fresh.accessToken))).toBe(user.id);
    } finally {
      offset = 0;
    }
  });

  it('logout closes the sockets of that sign-in only', async () => {
    const user = await registerUser(server.client());
    const second = await loginAgain(user);
    const first = await signedInSocket(server.url, user.accessToken);
    const other = await signedInSocket(server.url, second.accessToken);

    await server.client(user.accessToken).data(LOGOUT, { t: user.refreshToken });
    expect(await withTimeout(first.closed, CLOSE_WITHIN_MS, 'logout')).toBe(4403);
    expect(await meOver(other)).toBe(user.id);
  });

  it('a reused refresh token ends its sign-in everywhere (the token was stolen)', async () => {
    const user = await registerUser(server.client());
    const socket = await signedInSocket(server.url, user.accessToken);
    await server.client().data(REFRESH_TOKEN, { t: user.refreshToken });
    // Past the reuse grace, which forgives two tabs refreshing at once.
    offset += (server.config.refreshReuseGrace + 1) * 1000;
    try {
      expect(
        (await server.client().request(REFRESH_TOKEN, { t: user.refreshToken })).errors?.[0]?.extensions
          ?.code,
      ).toBe('UNAUTHENTICATED');
      expect(await withTimeout(socket.closed, CLOSE_WITHIN_MS, 'reuse')).toBe(4403);
    } finally {
      offset = 0;
    }
  });

  it("a password change closes every socket of the user, and no one else's", async () => {
    const user = await registerUser(server.client());
    const bystander = await registerUser(server.client());
    const second = await loginAgain(user);
    const sockets = [
      await signedInSocket(server.url, user.accessToken),
      await signedInSocket(server.url, second.accessToken),
    ];
    const theirs = await signedInSocket(server.url, bystander.accessToken);

    await server
      .client(user.accessToken)
      .data(CHANGE_PASSWORD, { c: user.password, n: 'a brand new password' });
    for (const socket of sockets) {
      expect(await withTimeout(socket.closed, CLOSE_WITHIN_MS, 'password change')).toBe(4403);
    }
    expect(await meOver(theirs)).toBe(bystander.id);
  });
});

describe('across server instances (PostgreSQL and Redis)', () => {
  it.skipIf(!withPostgresAndRedis)('a logout through instance A closes the socket open on instance B', () =>
    withTwoInstances(async (a, b) => {
      const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
      try {
        const user = await registerUser(new GraphQLClient(a.url));
        const onB = await signedInSocket(b.url, user.accessToken);
        await waitForRedisSubscribers(redis, [`SESSIONS_ENDED:${user.id}`]);

        await new GraphQLClient(a.url, user.accessToken).data(LOGOUT, { t: user.refreshToken });
        expect(await withTimeout(onB.closed, CLOSE_WITHIN_MS, 'logout on another instance')).toBe(4403);
      } finally {
        redis.disconnect();
      }
    }),
  );
});
