import { Migration } from '@mikro-orm/migrations';

/**
 * Running totals of the transactions, per user, account (and transfer account), category and
 * type, for each day and each calendar month: amount and count. Budgets, reports and totalCount
 * read these instead of the rows, so their cost follows the length of the range asked for, not
 * the length of the history. Only the ledger writer (modules/ledger/totals.ts) changes them, in
 * the database transaction that changes the rows; existing rows are summed here once.
 */
export class Migration20261202000000_ledger_totals extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "ledger_totals" (
      "user_id" uuid not null,
      "grain" text not null,
      "starts" date not null,
      "account_id" uuid not null,
      "transfer_account_id" uuid null,
      "category_id" uuid null,
      "type" "transaction_type" not null,
      "amount" numeric not null,
      "count" int not null,
      constraint "ledger_totals_grain" check ("grain" in ('day', 'month')),
      constraint "ledger_totals_key" unique nulls not distinct
        ("user_id", "grain", "starts", "account_id", "transfer_account_id", "category_id", "type")
    );`);
    this.addSql(`create index "ledger_totals_account_id_index" on "ledger_totals" ("account_id");`);
    this.addSql(`create index "ledger_totals_transfer_account_id_index" on "ledger_totals" ("transfer_account_id") where "transfer_account_id" is not null;`);
    this.addSql(`create index "ledger_totals_category_id_index" on "ledger_totals" ("category_id") where "category_id" is not null;`);
    this.addSql(`alter table "ledger_totals" add constraint "ledger_totals_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    // An account is deleted only once no transaction uses it: its totals are zeros by then.
    this.addSql(`alter table "ledger_totals" add constraint "ledger_totals_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "ledger_totals" add constraint "ledger_totals_transfer_account_id_foreign" foreign key ("transfer_account_id") references "accounts" ("id") on update cascade on delete cascade;`);
    // Deleting a category moves its totals to "uncategorized" first (like its transactions).
    this.addSql(`alter table "ledger_totals" add constraint "ledger_totals_category_id_foreign" foreign key ("category_id") references "categories" ("id") on update cascade;`);
    this.addSql(`insert into "ledger_totals"
        ("user_id", "grain", "starts", "account_id", "transfer_account_id", "category_id", "type", "amount", "count")
      select t.user_id, g.grain,
             case g.grain when 'day' then t.date else date_trunc('month', t.date)::date end,
             t.account_id, t.transfer_account_id, t.category_id, t.type, sum(t.amount), count(*)
      from "transactions" t cross join (values ('day'), ('month')) as g(grain)
      group by 1, 2, 3, 4, 5, 6, 7;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ledger_totals" cascade;`);
  }
}
