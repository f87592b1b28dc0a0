import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryId, createAccount, createTransaction } from './helpers/ledger.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

// The README's listener script, run as a user would run it, against a real server.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

function runListener(token: string | undefined, url = server.url.replace(/^http/, 'ws')) {
  const env: NodeJS.ProcessEnv = { ...process.env, URL: url, TOKEN: token };
  if (token === undefined) delete env.TOKEN;
  const child = spawn(process.execPath, ['examples/alert-listener.mjs'], { env });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  const listening = new Promise<void>((resolve) =>
    createInterface({ input: child.stderr }).on('line', (line) => line.startsWith('Listening') && resolve()),
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, lines, listening, exited, stderr: () => stderr };
}

describe('examples/alert-listener.mjs', () => {
  it('prints an alert as JSON when spending crosses a threshold', async () => {
    const user = await registerUser(server.client());
    const client = server.client(user.accessToken);
    const account = await createAccount(client, { openingBalance: '500' });
    const dining = await categoryId(client, 'Dining');
    await client.data(
      'mutation ($c: ID) { createBudget(input: { categoryId: $c, amount: "40", period: MONTHLY, startDate: "2026-11-01", alertThresholds: [50] }) { id } }',
      { c: dining },
    );
    const listener = runListener(user.accessToken);
    try {
      await listener.listening;
      await new Promise((resolve) => setTimeout(resolve, 200));
      await createTransaction(client, {
        accountId: account.id,
        type: 'EXPENSE',
        amount: '25',
        date: '2026-11-10',
        categoryId: dining,
      });
      const deadline = Date.now() + 3000;
      while (listener.lines.length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(JSON.parse(listener.lines[0]!)).toEqual({
        threshold: 50,
        spent: '25.00',
        available: '40.00',
        percentUsed: 62.5,
        periodStart: '2026-11-01',
        budget: { name: 'Dining' },
      });
    } finally {
      listener.child.kill();
    }
  });

  it('is the script the README shows', async () => {
    const readme = await readFile('README.md', 'utf8');
    const script = await readFile('examples/alert-listener.mjs', 'utf8');
    expect(readme).toContain('```js\n' + script + '```');
  });

  it('exits with an error when the token is not valid', async () => {
    const listener = runListener('not-a-token');
    expect(await listener.exited).toBe(1);
  });

  it('says so when TOKEN is missing', async () => {
    const listener = runListener(undefined);
    expect(await listener.exited).toBe(1);
    expect(listener.stderr()).toContain('Set TOKEN');
  });

  it('an unreachable server is an error, not a silent wait', async () => {
    const listener = runListener('any', 'ws://127.0.0.1:1/graphql');
    expect(await listener.exited).toBe(1);
    expect(listener.stderr()).toContain('Cannot reach ws://127.0.0.1:1/graphql');
  });
});
