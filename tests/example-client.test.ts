/**
 * The example client (examples/client) against the server, as a frontend runs it: after a
 * create, a move and a delete, its cache alone (no request) holds the right balances and rows;
 * an expired access token is renewed once and the request retried. And its typed documents are
 * what its codegen configuration generates.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import codegenConfig from '../examples/client/codegen.js';
import { addCreatedTransaction, createLedgerlineClient, evictRemoved } from '../examples/client/client.js';
import {
  AccountsDocument,
  CreateAccountDocument,
  CreateTransactionDocument,
  RegisterDocument,
  RemoveTransactionDocument,
  TransactionsDocument,
  UpdateTransactionDocument,
} from '../examples/client/generated.js';
import { runCodegen } from './helpers/codegen.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { uniqueEmail } from './helpers/users.js';

/** The server's clock runs `offset` ms ahead: access-token expiry is tested by moving it. */
let offset = 0;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { clock: { now: () => Date.now() + offset } });
});
afterAll(() => server?.close());

it('generated.ts is what examples/client/codegen.ts generates (UPDATE_CODEGEN=1 rewrites it)', async () => {
  for (const [file, content] of Object.entries(await runCodegen(codegenConfig))) {
    if (process.env.UPDATE_CODEGEN === '1') await writeFile(file, content);
    expect(await readFile(file, 'utf8')).toBe(content);
  }
});

describe('the example client', () => {
  it('keeps its normalized cache right through a create, a move and a delete, with no refetch', async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const anonymous = createLedgerlineClient({
      url: server.url,
      session: { accessToken: '', refreshToken: '' },
      webSocketImpl: WebSocket,
    });
    const { data: registered } = await anonymous.client.mutate({
      mutation: RegisterDocument,
      variables: { input: { email: uniqueEmail(), password: 'correct horse battery' } },
    });
    await anonymous.dispose();
    const { client, dispose } = createLedgerlineClient({
      url: server.url,
      session: registered!.register,
      fetch: counting,
      webSocketImpl: WebSocket,
    });
    try {
      const account = async (name: string, openingBalance: string) =>
        (
          await client.mutate({
            mutation: CreateAccountDocument,
            variables: { input: { name, type: 'CHECKING', openingBalance } },
          })
        ).data!.createAccount.id;
      const a = await account('A', '100.00');
      const b = await account('B', '50.00');
      await client.query({ query: AccountsDocument });
      await client.query({ query: TransactionsDocument, variables: { first: 10 } });
      const cached = () => ({
        balances: Object.fromEntries(
          client.readQuery({ query: AccountsDocument })!.accounts.map((x) => [x.name, x.balance]),
        ),
        rows: client
          .readQuery({ query: TransactionsDocument, variables: { first: 10 } })!
          .transactions.edges.map((edge) => `${edge.node.date} ${edge.node.amount} ${edge.node.account.id}`),
      });

      await client.mutate({
        mutation: CreateTransactionDocument,
        variables: { input: { type: 'EXPENSE', amount: '5.00', date: '2026-01-10', accountId: a } },
        update: (cache, { data }) => addCreatedTransaction(cache, data!.createTransaction),
      });
      const created = await client.mutate({
        mutation: CreateTransactionDocument,
        variables: { input: { type: 'EXPENSE', amount: '10.00', date: '2026-01-20', accountId: a } },
        update: (cache, { data }) => addCreatedTransaction(cache, data!.createTransaction),
      });
      const id = created.data!.createTransaction.id;
      let before = requests;
      expect(cached()).toEqual({
        balances: { A: '85.00', B: '50.00' },
        rows: [`2026-01-20 10.00 ${a}`, `2026-01-10 5.00 ${a}`],
      });
      // The list as the server has it, cursors included, is what the cache holds.
      const fresh = await client.query({
        query: TransactionsDocument,
        variables: { first: 10 },
        fetchPolicy: 'network-only',
      });
      expect(requests).toBe(before + 1);
      expect(fresh.data!.transactions.edges.map((edge) => edge.cursor)).toContain(
        created.data!.createTransaction.cursor,
      );

      await client.mutate({
        mutation: UpdateTransactionDocument,
        variables: { id, input: { accountId: b } },
      });
      before = requests;
      expect(cached()).toEqual({
        balances: { A: '95.00', B: '40.00' },
        rows: [`2026-01-20 10.00 ${b}`, `2026-01-10 5.00 ${a}`],
      });
      expect(requests).toBe(before);

      await client.mutate({
        mutation: RemoveTransactionDocument,
        variables: { id },
        update: (cache, { data }) => evictRemoved(cache, [data!.removeTransaction.removed]),
      });
      expect(cached()).toEqual({ balances: { A: '95.00', B: '50.00' }, rows: [`2026-01-10 5.00 ${a}`] });
      expect(requests).toBe(before + 1); // the mutation only
    } finally {
      await dispose();
    }
  });

  it('renews an expired access token once and retries; parallel requests share the refresh', async () => {
    const anonymous = createLedgerlineClient({
      url: server.url,
      session: { accessToken: '', refreshToken: '' },
      webSocketImpl: WebSocket,
    });
    const { data } = await anonymous.client.mutate({
      mutation: RegisterDocument,
      variables: { input: { email: uniqueEmail(), password: 'correct horse battery' } },
    });
    await anonymous.dispose();
    let signedOut = false;
    let refreshes = 0;
    const example = createLedgerlineClient({
      url: server.url,
      session: data!.register,
      fetch: (input, init) => {
        if (String(init?.body).includes('refreshToken(')) refreshes++;
        return fetch(input, init);
      },
      onSignedOut: () => (signedOut = true),
      webSocketImpl: WebSocket,
    });
    try {
      offset = (server.config.accessTokenTtl + 1) * 1000;
      const [first, second] = await Promise.all([
        example.client.query({ query: AccountsDocument, fetchPolicy: 'network-only' }),
        example.client.query({ query: TransactionsDocument, fetchPolicy: 'network-only' }),
      ]);
      expect(first.data!.accounts).toEqual([]);
      expect(second.data!.transactions.edges).toEqual([]);
      expect(example.session().refreshToken).not.toBe(data!.register.refreshToken);
      expect(refreshes).toBe(1);
      expect(signedOut).toBe(false);
    } finally {
      offset = 0;
      await example.dispose();
    }
  });
});
