import type { Config } from '../config.js';
import { AppStartError } from '../errors/app-start-error.js';
import { createLogger } from '../logger.js';
import { bootstrap } from '../server.js';
import { seedDemo, type DemoUser } from './demo-data.js';

export interface DemoSeedOptions {
  email: string;
  /** Add the demo user even when the database has other users. */
  force?: boolean;
  /** The demo's dates end here (the last 12 months up to it). */
  today?: Date;
}

/**
 * `npm run seed:demo`: the dashboard's demo (a year of salary, rent and spending, three accounts,
 * three budgets, dated up to today) for one demo user in the configured database, written
 * through the API like any client's data. A database with other people in it is left alone
 * unless forced: demo rows beside real ones would only confuse.
 */
export async function seedDemoInto(config: Config, options: DemoSeedOptions): Promise<DemoUser> {
  const server = await bootstrap({
    config: { ...config, port: 0, host: '127.0.0.1', metricsPort: undefined },
    log: createLogger('warn'),
  });
  try {
    const [found] = await server.app.orm.em
      .getConnection()
      .execute<{ users: number; taken: boolean | null }[]>(
        'select count(*)::int as users, bool_or(lower(email) = lower(?)) as taken from users',
        [options.email],
      );
    if (found?.taken) {
      throw new AppStartError(
        `${options.email} already exists in this database: choose another with --email.`,
      );
    }
    if (found && found.users > 0 && !options.force) {
      throw new AppStartError(
        `This database already has ${found.users} user(s): seed:demo adds a demo user beside them only with --force.`,
      );
    }
    return await seedDemo(server.url, options.email, options.today);
  } finally {
    await server.close();
  }
}
