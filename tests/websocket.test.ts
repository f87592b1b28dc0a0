import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const wsUrl = () => server.url.replace(/^http/, 'ws');

function connect(connectionParams: Record<string, unknown>): {
  client: Client;
  closed: Promise<number>;
  reason: Promise<string>;
} {
  let onClose: (event: { code: number; reason: string }) => void = () => undefined;
  const event = new Promise<{ code: number; reason: string }>((resolve) => (onClose = resolve));
  const client = createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { closed: (closed) => onClose(closed as { code: number; reason: string }) },
  });
  return { client, closed: event.then((e) => e.code), reason: event.then((e) => String(e.reason)) };
}

async function query(client: Client, document: string): Promise<any> {
  const iterator = client.iterate({ query: document });
  const { value } = await iterator.next();
  await iterator.return?.();
  return value;
}

describe('graphql-ws', () => {
  it('closes a socket without a token, or with a bad one, with 4403 and the reason', async () => {
    for (const [params, why] of [
      [{}, 'TOKEN_MISSING'],
      [{ authorization: 'Bearer not-a-token' }, 'TOKEN_INVALID'],
      [{ authorization: 'Basic abc' }, 'TOKEN_MISSING'],
    ] as const) {
      const { client, closed, reason } = connect(params);
      expect(await closed).toBe(4403);
      expect(await reason).toBe(why);
      await client.dispose();
    }
  });

  it('runs operations for a socket with a valid token, as that user; Authorization (as typed in Sandbox) too', async () => {
    const user = await registerUser(server.client());
    for (const header of ['authorization', 'Authorization']) {
      const { client } = connect({ [header]: `Bearer ${user.accessToken}` });
      try {
        const result = await query(client, '{ me { id email } }');
        expect(result.data.me, header).toEqual({ id: user.id, email: user.email });
      } finally {
        await client.dispose();
      }
    }
  });

  it('applies the same error masking and validation as HTTP', async () => {
    const user = await registerUser(server.client());
    const { client } = connect({ authorization: `Bearer ${user.accessToken}` });
    try {
      const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(' ');
      await expect(query(client, `{ ${aliases} }`)).rejects.toSatisfy((errors: any) =>
        /aliases/i.test(JSON.stringify(errors)),
      );
    } finally {
      await client.dispose();
    }
  });
});
