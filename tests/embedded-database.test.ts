import { mkdtemp, readdir, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClient } from './helpers/graphql.js';
import { testConfig } from './helpers/server.js';
import { LOGIN, registerUser } from './helpers/users.js';
import { bootstrap } from '../src/server.js';

// These always run on PGlite, also in the CI pass that points other tests at PostgreSQL.
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ledgerline-embedded-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const config = () => testConfig({ dataDir, databaseUrl: undefined });

/** Ports this process listens on over TCP (IPv4 and IPv6), from /proc: sockets whose inode is one of our fds. */
async function listeningPorts(): Promise<number[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT" in hex; state 0A is LISTEN; the inode is field 9.
      if (fields[3] === '0A' && inodes.has(fields[9]!)) ports.push(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** Every path under dir whose mode lets the group or others in. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  const info = await stat(dir);
  if (info.mode & 0o077) found.push(dir);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await openToOthers(path)));
    else if ((await stat(path)).mode & 0o077) found.push(path);
  }
  return found;
}

describe('embedded database', () => {
  it('listens on the HTTP port only and keeps its files to the owner, whatever the umask', async () => {
    const previousUmask = process.umask(0o000);
    const server = await bootstrap({ config: config() }).finally(() => process.umask(previousUmask));
    try {
      await registerUser(new GraphQLClient(server.url)); // some writes, so PGlite creates files
      expect(await listeningPorts()).toEqual([Number(new URL(server.url).port)]);
      expect(await openToOthers(dataDir)).toEqual([]);
    } finally {
      await server.close();
    }
    expect(await openToOthers(dataDir)).toEqual([]);
  });

  it('keeps users and sign-in secrets across a restart', async () => {
    const first = await bootstrap({ config: config() });
    const user = await registerUser(new GraphQLClient(first.url));
    await first.close();

    const second = await bootstrap({ config: config() });
    try {
      const client = new GraphQLClient(second.url);
      // The generated JWT secret is kept in DATA_DIR, so the old access token still verifies.
      expect((await new GraphQLClient(second.url, user.accessToken).data('{ me { id } }')).me.id).toBe(
        user.id,
      );
      const login = await client.data(LOGIN, { input: { email: user.email, password: user.password } });
      expect(login.login.user.id).toBe(user.id);
    } finally {
      await second.close();
    }
  });

  it('refuses a second server on the same DATA_DIR with a clear message', async () => {
    const first = await bootstrap({ config: config() });
    try {
      await expect(bootstrap({ config: config() })).rejects.toThrow(/in use by another Ledgerline server/);
      // The first server is unharmed.
      expect((await fetch(first.url.replace('/graphql', '/readyz'))).status).toBe(200);
    } finally {
      await first.close();
    }
    // Once the first has stopped, the directory can be opened again.
    const again = await bootstrap({ config: config() });
    await again.close();
  });
});
