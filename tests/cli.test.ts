/**
 * Commands (the server, ledger:verify) answer a mistake the operator can fix with one line and
 * exit 1, never a stack: here, ledger:verify's database opening while a server holds the
 * embedded database, and a bad setting.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../src/cli.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/orm.js';
import { entities } from '../src/entities.js';
import { createLogger } from '../src/logger.js';
import { startTestServer } from './helpers/server.js';

afterEach(() => vi.restoreAllMocks());

/** Runs `command` as a CLI would; returns the exit code asked for and what went to stderr. */
async function run(command: () => Promise<void>): Promise<{ code: number | undefined; stderr: string[] }> {
  const stderr: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void stderr.push(args.join(' ')));
  let code: number | undefined;
  await runCommand(command, (exitCode) => (code = exitCode));
  return { code, stderr };
}

describe('runCommand', () => {
  it('a bad setting: one line naming it, exit 1', async () => {
    const { code, stderr } = await run(async () => void loadConfig({ PORT: 'eighty' }));
    expect(code).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain('PORT');
    expect(stderr[0]).not.toMatch(/\n\s+at /);
  });

  it.skipIf(Boolean(process.env.TEST_DATABASE_URL))(
    'ledger:verify while the server holds the embedded database: one line, exit 1',
    async () => {
      const server = await startTestServer();
      try {
        const { code, stderr } = await run(async () => {
          const database = await openDatabase(server.config, createLogger('silent'), { entities });
          await database.close();
        });
        expect(code).toBe(1);
        expect(stderr).toHaveLength(1);
        expect(stderr[0]).not.toMatch(/\n\s+at /);
      } finally {
        await server.close();
      }
    },
  );

  it('anything else is not the operator’s to fix: it is thrown as it is', async () => {
    await expect(
      runCommand(
        () => Promise.reject(new TypeError('a bug')),
        () => undefined,
      ),
    ).rejects.toThrow('a bug');
  });
});
