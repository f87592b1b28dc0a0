// npm run seed:demo [-- --email someone@example.com] [-- --force]: the demo user and a year of data
// up to today in the configured database (DATABASE_URL, or the embedded one in DATA_DIR: stop the
// server first, it holds that database).
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { runCommand } from '../cli.js';
import { loadConfig } from '../config.js';
import { AppStartError } from '../errors/app-start-error.js';
import { seedDemoInto } from './demo-seeding.js';

await runCommand(async () => {
  let values: { email?: string; force?: boolean };
  try {
    ({ values } = parseArgs({
      options: { email: { type: 'string', default: 'demo@example.com' }, force: { type: 'boolean' } },
    }));
  } catch (error) {
    throw new AppStartError(
      `${(error as Error).message}. Usage: npm run seed:demo -- [--email address] [--force]`,
    );
  }
  const email = values.email ?? 'demo@example.com';
  const demo = await seedDemoInto(loadConfig(), { email, force: values.force });
  console.log(
    `Demo user ${demo.email} (password "${demo.password}"): ${Object.keys(demo.accounts).length} accounts, ` +
      `${Object.keys(demo.budgets).length} budgets and a year of transactions up to today. ` +
      'Start the server (npm start) and sign in on the dashboard.',
  );
});
