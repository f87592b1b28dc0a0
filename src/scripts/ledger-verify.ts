// Recomputes every balance and running total from the transactions and prints any drift; exit 1 if there is any.
// Uses DATABASE_URL, or the embedded database in DATA_DIR (stop the server first: it holds the lock).
import 'reflect-metadata';
import { runCommand } from '../cli.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/orm.js';
import { entities } from '../entities.js';
import { createLogger } from '../logger.js';
import { findBalanceDrift, findTotalsDrift } from '../modules/ledger/verify.js';

await runCommand(async () => {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger('warn'), { entities });
  try {
    const drift = await findBalanceDrift(database.orm.em.fork());
    for (const row of drift)
      console.log(`account ${row.accountId}: stored ${row.stored}, expected ${row.expected}`);
    const totals = await findTotalsDrift(database.orm.em.fork());
    for (const row of totals.slice(0, 50)) {
      console.log(
        `totals ${row.grain} ${row.starts} account ${row.accountId} category ${row.categoryId ?? '-'} ${row.type}: ` +
          `stored ${row.stored.amount} (${row.stored.count}), expected ${row.expected.amount} (${row.expected.count})`,
      );
    }
    console.log(
      drift.length === 0 && totals.length === 0
        ? 'Ledger is consistent: no balance or totals drift.'
        : `${drift.length} account(s) and ${totals.length} totals row(s) drifted.`,
    );
    process.exitCode = drift.length === 0 && totals.length === 0 ? 0 : 1;
  } finally {
    await database.close();
  }
});
