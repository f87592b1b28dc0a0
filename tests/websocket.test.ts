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

function connect(connectionParams: Record<string, unknown>): { client: Client; closed: Promise<number> } {
  let onClose: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => (onClose = resolve));
  const client = createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => onClose((event as { code: number }).code) },
  });
  return { client, closed };
}

async function query(client: Client, document: string): Promise<any> {
  const iterator = client.iterate({ query: document });
  const { value } = await iterator.next();
  await iterator.return?.();
  return value;
}

describe('graphql-ws', () => {
  it('closes a socket without a token, or with a bad one, with 4403', async () => {
    for (const params of [{}, { authorization: 'Bearer not-a-token' }, { authorization: 'Basic abc' }]) {
      const { client, closed } = connect(params);
      expect(await closed).toBe(4403);
      await client.dispose();
    }
  });

  it('runs operations for a socket with a valid token, as that user', async () => {
    const user = await registerUser(server.client());
    const { client } = connect({ authorization: `Bearer ${user.accessToken}` });
    try {
      const result = await query(client, '{ me { id email } }');
      expect(result.data.me).toEqual({ id: user.id, email: user.email });
    } finally {
      await client.dispose();
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
