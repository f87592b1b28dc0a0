import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { rawSocket, repliesFor } from './helpers/sockets.js';
import { registerUser } from './helpers/users.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('error model', () => {
  it('masks unexpected errors: no SQL, database message, stack or path in the response', async () => {
    const user = await registerUser(server.client());
    const connection = server.app.orm.em.getConnection();
    // Break the database under the running server, as an outage or a bad deploy would.
    await connection.execute('alter table users rename to users_gone');
    try {
      const response = await post(JSON.stringify({ query: '{ me { id email } }' }), {
        authorization: `Bearer ${user.accessToken}`,
      });
      const text = await response.text();
      const body = JSON.parse(text);
      expect(body.errors).toEqual([
        {
          message: 'Internal server error',
          path: ['me'],
          locations: [{ line: 1, column: 3 }],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(text).not.toMatch(/users|select|relation|stack|\.ts|node_modules/i);
    } finally {
      await connection.execute('alter table users_gone rename to users');
    }
  });

  it('answers malformed JSON with HTTP 400 and a JSON error body', async () => {
    const response = await post('{"query": "{ me { id } }"');
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toBe('Malformed JSON body');
  });

  it('refuses batched requests', async () => {
    const response = await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('"data"');
  });

  it('answers syntax and validation errors with their code and no stack', async () => {
    const syntax = await server.client().request('{ me { id }');
    expect(syntax.status).toBe(400);
    expect(syntax.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    const unknown = await server.client().request('{ nothing }');
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('enforces the depth limit', async () => {
    const user = await registerUser(server.client());
    const nested = (depth: number): string => (depth === 0 ? 'id' : `parent { ${nested(depth - 1)} }`);
    const query = (depth: number) => `{ transactions { nodes { category { ${nested(depth)} } } } }`;
    const client = server.client(user.accessToken);
    expect((await client.request(query(5))).errors).toBeUndefined();
    const deep = await client.request(query(12));
    expect(deep.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(deep.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('enforces token and alias limits', async () => {
    const tokens = await server.client().request(`{ ${'__typename '.repeat(2500)}}`);
    expect(tokens.status).toBe(400);
    expect(tokens.errors?.[0]?.message).toMatch(/more that 2000 tokens/);
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(' ');
    const many = await server.client().request(`{ ${aliases} }`);
    expect(many.errors?.[0]?.message).toMatch(/aliases/i);
  });

  it('serves health and readiness', async () => {
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', database: true });
  });
});

describe('production mode', () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await startTestServer({ nodeEnv: 'production', jwtSecret: 'p'.repeat(40) });
  });
  afterAll(() => production?.close());

  it('turns off introspection, the Sandbox and field suggestions', async () => {
    const introspection = await production.client().request('{ __schema { types { name } } }');
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await production.client().request('{ mee { id } }');
    expect(typo.errors?.[0]?.message).not.toMatch(/did you mean/i);
    const page = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/sandbox/i);
  });

  it('hides "Did you mean" for fields and enum values, over HTTP and WebSocket', async () => {
    const someone = await registerUser(production.client());
    const client = production.client(someone.accessToken);
    const documents = [
      '{ transactions(filter: { types: [EXPENS] }) { totalCount } }',
      '{ mee { id } }',
      'query ($t: [TransactionType!]) { transactions(filter: { types: $t }) { totalCount } }',
    ];
    const { socket, replies } = await rawSocket(production.url, someone.accessToken);
    for (const [index, query] of documents.entries()) {
      const result = await client.request(query, { t: ['EXPENS'] });
      expect(result.errors?.[0]?.message).not.toMatch(/Did you mean|EXPENSE|"me"/);
      const id = `doc-${index}`;
      socket.send(
        JSON.stringify({ id, type: 'subscribe', payload: { query, variables: { t: ['EXPENS'] } } }),
      );
      await repliesFor(replies, [id]);
      const reply = replies.find((r) => r.id === id) as {
        payload: { message: string }[] | { errors: { message: string }[] };
      };
      const message = Array.isArray(reply.payload)
        ? reply.payload[0]!.message
        : reply.payload.errors[0]!.message;
      expect(message).not.toMatch(/Did you mean|EXPENSE|"me"/);
    }
    socket.close();
  });

  it('offers field suggestions and the Sandbox outside production', async () => {
    const typo = await server.client().request('{ mee { id } }');
    expect(typo.errors?.[0]?.message).toMatch(/did you mean/i);
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/sandbox/i);
  });
});
