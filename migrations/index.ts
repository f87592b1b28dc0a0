import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261130003509 } from './Migration20261130003509.js';
import { Migration20261130004242_ledger } from './Migration20261130004242_ledger.js';
import { Migration20261130005313_budgets } from './Migration20261130005313_budgets.js';
import { Migration20261201120000_alert_sums } from './Migration20261201120000_alert_sums.js';
import { Migration20261202000000_ledger_totals } from './Migration20261202000000_ledger_totals.js';
import { Migration20261203000000_refresh_grace } from './Migration20261203000000_refresh_grace.js';
import { Migration20261210000000_rules } from './Migration20261210000000_rules.js';
import { Migration20261220000000_imports } from './Migration20261220000000_imports.js';
import { Migration20261221000000_recurring } from './Migration20261221000000_recurring.js';
import { Migration20261222000000_alert_rules_version } from './Migration20261222000000_alert_rules_version.js';
import { Migration20261223000000_budget_spending } from './Migration20261223000000_budget_spending.js';

/**
 * Every migration, oldest first. Listed explicitly so the compiled server, the scripts and the
 * tests run exactly the same set; `npm run migration:create` writes a new file to add here.
 */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261130003509', class: Migration20261130003509 }, // users, refresh tokens
  { name: 'Migration20261130004242_ledger', class: Migration20261130004242_ledger }, // accounts, categories, transactions
  { name: 'Migration20261130005313_budgets', class: Migration20261130005313_budgets }, // budgets, budget alerts
  { name: 'Migration20261201120000_alert_sums', class: Migration20261201120000_alert_sums }, // alert sums unconstrained
  { name: 'Migration20261202000000_ledger_totals', class: Migration20261202000000_ledger_totals }, // running totals per day and month
  { name: 'Migration20261203000000_refresh_grace', class: Migration20261203000000_refresh_grace }, // refresh token reuse grace
  { name: 'Migration20261210000000_rules', class: Migration20261210000000_rules }, // transaction rules
  { name: 'Migration20261220000000_imports', class: Migration20261220000000_imports }, // bank-file imports, payee
  { name: 'Migration20261221000000_recurring', class: Migration20261221000000_recurring }, // recurring transactions
  { name: 'Migration20261222000000_alert_rules_version', class: Migration20261222000000_alert_rules_version }, // what alerting budgets a server may keep
  { name: 'Migration20261223000000_budget_spending', class: Migration20261223000000_budget_spending }, // budget spending with its own plan cache mode
];
