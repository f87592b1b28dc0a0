import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { timedStatement } from './db-observer.js';

interface PooledClient {
  query<T>(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: T[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<PooledClient>;
  releaseConnection(connection: PooledClient): Promise<void>;
}

/**
 * The most distinct statement texts prepared. A query's text varies with the fields and filters
 * a request selects, so clients could otherwise make the server (and every pooled PostgreSQL
 * connection) keep ever more statements; texts beyond these run unprepared.
 */
export const MAX_PREPARED_STATEMENTS = 200;

const statementNames = new Map<string, string>();

/** How many statement texts are prepared (never more than MAX_PREPARED_STATEMENTS). */
export const preparedStatementCount = (): number => statementNames.size;

/** A name per statement text (PostgreSQL keeps it per connection), or none past the bound. */
function nameOf(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `ll_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Plain rows of a read (`$1` placeholders, see SqlParams) run as a named prepared statement on a
 * connection of MikroORM's pool: PostgreSQL parses it once per connection (and plans it for each
 * run's values, see db/orm.ts), and the driver skips the row description on every later run,
 * about half the client CPU of a page (bench/). Statement texts come from code, never from input
 * (values are parameters). Not inside a database transaction: that holds its own connection.
 */
export async function preparedRows<T>(em: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  if (em.isInTransaction()) throw new Error('preparedRows runs outside database transactions only');
  const client = (em.getConnection().getKnex() as unknown as { client: KnexClient }).client;
  const started = Date.now();
  const pooled = await client.acquireConnection();
  try {
    // Past knex, so timed here for the SQL latency metric (db-observer.ts).
    const { rows } = await timedStatement(em, () => pooled.query<T>({ name: nameOf(text), text, values }));
    // Logged like every statement MikroORM sends (its debug and slow-query logging).
    em.config
      .getLogger()
      .logQuery({ query: text, took: Date.now() - started, results: rows.length, level: 'info' });
    return rows;
  } finally {
    await client.releaseConnection(pooled);
  }
}
