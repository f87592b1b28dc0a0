import { spawn } from 'node:child_process';
import pg from 'pg';

/** The PostgreSQL server the suite measures on: BENCH_DATABASE_URL's host, else the local one. */
const SERVER = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres');

export function urlOf(database: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `sql` on `database` with a connection of its own. */
export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  database: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: urlOf(database) });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export async function databaseExists(name: string): Promise<boolean> {
  return (await sql('postgres', 'select 1 from pg_database where datname = $1', [name])).length > 0;
}

export async function dropDatabase(name: string): Promise<void> {
  await sql('postgres', `drop database if exists "${name}" with (force)`);
}

/**
 * A fresh copy of `template`, replacing any earlier copy. Copied file by file with a checkpoint
 * before and after (FILE_COPY), not through the WAL (the default since PostgreSQL 15, the
 * oldest the app runs on), which wrote the template's 400 MB into the WAL for every copy and
 * left the checkpoint it calls for to fall inside a measured run.
 */
export async function copyDatabase(template: string, name: string): Promise<string> {
  await dropDatabase(name);
  await sql('postgres', `create database "${name}" template "${template}" strategy file_copy`);
  return urlOf(name);
}

/** Runs a command to its end; rejects with its output when it fails. */
export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`)),
    );
  });
}

/** The connection settings pgbench and psql read from the environment. */
export function libpqEnv(database: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PGHOST: SERVER.hostname,
    PGPORT: SERVER.port || '5432',
    PGUSER: decodeURIComponent(SERVER.username) || 'root',
    PGPASSWORD: decodeURIComponent(SERVER.password),
    PGDATABASE: database,
  };
}
