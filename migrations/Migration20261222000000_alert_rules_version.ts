import { Migration } from '@mikro-orm/migrations';

/**
 * `users.alert_rules_version` changes whenever what decides which budgets alert on an expense
 * changes: a budget created, changed or deleted, a category created, moved or deleted. A server
 * keeps each user's alerting budgets and category tree in memory (modules/alerts/
 * alerting-budgets.ts) and a write reads only this number to know whether that copy still
 * holds. Triggers bump it, so no path (a cascade, a re-parenting update, another server) can
 * change those rows and leave the number as it was.
 */
export class Migration20261222000000_alert_rules_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "alert_rules_version" bigint not null default 0;`);
    this.addSql(`create function "bump_alert_rules_version"() returns trigger language plpgsql as $$
      begin
        update "users" set "alert_rules_version" = "alert_rules_version" + 1
        where "id" = case when tg_op = 'DELETE' then old."user_id" else new."user_id" end;
        return null;
      end $$;`);
    this.addSql(`create trigger "budgets_alert_rules_version" after insert or update or delete on "budgets"
      for each row execute function "bump_alert_rules_version"();`);
    this.addSql(`create trigger "categories_alert_rules_version" after insert or delete or update of "parent_id" on "categories"
      for each row execute function "bump_alert_rules_version"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "categories_alert_rules_version" on "categories";`);
    this.addSql(`drop trigger if exists "budgets_alert_rules_version" on "budgets";`);
    this.addSql(`drop function if exists "bump_alert_rules_version"();`);
    this.addSql(`alter table "users" drop column "alert_rules_version";`);
  }
}
