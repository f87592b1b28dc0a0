import { Migration } from '@mikro-orm/migrations';

/**
 * Recurring transactions: each user's schedules with the transaction they make, the occurrences
 * handled (materialized or skipped; the primary key (schedule, date) makes each happen once) and
 * edits of single occurrences before they are materialized. Deleting the user or an account of
 * the schedule deletes it; its transactions stay (recurring_occurrences goes with the schedule,
 * and loses its transaction when that is deleted).
 */
export class Migration20261221000000_recurring extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "recurring_transactions" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "frequency" text not null, "interval" int not null, "start_date" date not null, "day_of_month" int null, "end_date" date null, "count" int null, "type" text not null, "amount" numeric(19,4) not null, "account_id" uuid not null, "transfer_account_id" uuid null, "category_id" uuid null, "description" text null, "tags" text[] not null default '{}', "next_index" int not null default 0, "next_date" date null, "done_through" date null, constraint "recurring_transactions_pkey" primary key ("id"));`);
    this.addSql(`create index "recurring_transactions_user_id_created_at_id_index" on "recurring_transactions" ("user_id", "created_at", "id");`);
    this.addSql(`create index "recurring_transactions_next_date_index" on "recurring_transactions" ("next_date");`);
    this.addSql(`create index "recurring_transactions_category_id_index" on "recurring_transactions" ("category_id");`);
    this.addSql(`alter table "recurring_transactions" add constraint "recurring_transactions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recurring_transactions" add constraint "recurring_transactions_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recurring_transactions" add constraint "recurring_transactions_transfer_account_id_foreign" foreign key ("transfer_account_id") references "accounts" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recurring_transactions" add constraint "recurring_transactions_category_id_foreign" foreign key ("category_id") references "categories" ("id") on update cascade on delete set null;`);

    this.addSql(`create table "recurring_occurrences" ("schedule_id" uuid not null, "occurrence_date" date not null, "skipped" boolean not null default false, "transaction_id" uuid null, "failure" text null, "created_at" timestamptz not null default now(), constraint "recurring_occurrences_pkey" primary key ("schedule_id", "occurrence_date"));`);
    this.addSql(`alter table "recurring_occurrences" add constraint "recurring_occurrences_schedule_id_foreign" foreign key ("schedule_id") references "recurring_transactions" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recurring_occurrences" add constraint "recurring_occurrences_transaction_id_foreign" foreign key ("transaction_id") references "transactions" ("id") on update cascade on delete set null;`);

    // Deleting a transaction or an account looks these up: without an index, a scan of every user's rows.
    this.addSql(`create index "recurring_occurrences_transaction_id_index" on "recurring_occurrences" ("transaction_id") where "transaction_id" is not null;`);
    this.addSql(`create index "recurring_transactions_account_id_index" on "recurring_transactions" ("account_id");`);
    this.addSql(`create index "recurring_transactions_transfer_account_id_index" on "recurring_transactions" ("transfer_account_id") where "transfer_account_id" is not null;`);

    this.addSql(`create table "recurring_occurrence_edits" ("schedule_id" uuid not null, "occurrence_date" date not null, "amount" numeric(19,4) null, "description" text null, "category_id" uuid null, "date" date null, constraint "recurring_occurrence_edits_pkey" primary key ("schedule_id", "occurrence_date"));`);
    this.addSql(`alter table "recurring_occurrence_edits" add constraint "recurring_occurrence_edits_schedule_id_foreign" foreign key ("schedule_id") references "recurring_transactions" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "recurring_occurrence_edits_category_id_index" on "recurring_occurrence_edits" ("category_id") where "category_id" is not null;`);
    this.addSql(`alter table "recurring_occurrence_edits" add constraint "recurring_occurrence_edits_category_id_foreign" foreign key ("category_id") references "categories" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "recurring_occurrence_edits" cascade;`);
    this.addSql(`drop table if exists "recurring_occurrences" cascade;`);
    this.addSql(`drop table if exists "recurring_transactions" cascade;`);
  }
}
