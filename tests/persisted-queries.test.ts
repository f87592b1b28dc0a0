/**
 * Automatic persisted queries (Apollo Client's APQ link): a wrong hash or version is the
 * client's mistake, BAD_REQUEST with the real message; with Redis a hash registered through
 * one instance is found by another.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClient } from './helpers/graphql.js';
import {
  startTestServer,
  withPostgresAndRedis,
  withTwoInstances,
  type TestServer,
} from './helpers/server.js';
import { registerUser } from './helpers/users.js';

/** Unique to the run: with Redis, registered queries outlive a run (24 h). */
const QUERY = `{ me { id email } } # ${randomUUID()}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface ApqRequest {
  query?: string;
  version?: number;
  hash?: string;
}

async function post(url: string, token: string, request: ApqRequest) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: request.query,
      extensions: {
        persistedQuery: { version: request.version ?? 1, sha256Hash: request.hash ?? sha256(QUERY) },
      },
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('persisted queries', () => {
  it('registers a query with its hash, then runs it from the hash alone', async () => {
    const user = await registerUser(server.client());
    const unknown = await post(server.url, user.accessToken, {});
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(server.url, user.accessToken, { query: QUERY });
    expect(registered.body.data.me.id).toBe(user.id);
    const byHash = await post(server.url, user.accessToken, {});
    expect(byHash.body.data.me.id).toBe(user.id);
  });

  it('answers a hash that does not match its query with BAD_REQUEST and the reason', async () => {
    const user = await registerUser(server.client());
    const { status, body } = await post(server.url, user.accessToken, {
      query: QUERY,
      hash: sha256('other'),
    });
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      { message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } },
    ]);
    // Nothing was registered under the wrong hash.
    const byHash = await post(server.url, user.accessToken, { hash: sha256('other') });
    expect(byHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('answers an unsupported version with BAD_REQUEST', async () => {
    const user = await registerUser(server.client());
    const { status, body } = await post(server.url, user.accessToken, { query: QUERY, version: 2 });
    expect(status).toBe(400);
    expect(body.errors[0]).toEqual({
      message: 'Unsupported persisted query version',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it.skipIf(!withPostgresAndRedis)('finds a hash registered through one instance on another (Redis)', () =>
    withTwoInstances(async (a, b) => {
      const user = await registerUser(new GraphQLClient(a.url));
      // A query only this run sends (the comment is part of the hashed text).
      const query = `{ me { id } } # ${randomUUID()}`;
      expect(
        (await post(b.url, user.accessToken, { hash: sha256(query) })).body.errors[0].extensions.code,
      ).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await post(a.url, user.accessToken, { query, hash: sha256(query) })).body.data.me.id).toBe(
        user.id,
      );
      expect((await post(b.url, user.accessToken, { hash: sha256(query) })).body.data.me.id).toBe(user.id);
    }),
  );
});
