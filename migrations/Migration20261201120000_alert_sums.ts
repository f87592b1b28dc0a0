import { Migration } from '@mikro-orm/migrations';

/** Alert figures are sums, which can pass numeric(19,4): store them unconstrained. */
export class Migration20261201120000_alert_sums extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "budget_alerts" alter column "spent" type numeric using ("spent"::numeric);`);
    this.addSql(`alter table "budget_alerts" alter column "available" type numeric using ("available"::numeric);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "budget_alerts" alter column "spent" type numeric(19,4) using ("spent"::numeric(19,4));`);
    this.addSql(`alter table "budget_alerts" alter column "available" type numeric(19,4) using ("available"::numeric(19,4));`);
  }
}
