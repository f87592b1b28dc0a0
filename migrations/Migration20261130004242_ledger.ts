import { Migration } from '@mikro-orm/migrations';

export class Migration20261130004242_ledger extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "category_kind" as enum ('INCOME', 'EXPENSE');`);
    this.addSql(`create type "account_type" as enum ('CHECKING', 'SAVINGS', 'CREDIT_CARD', 'CASH', 'INVESTMENT', 'LOAN', 'OTHER');`);
    this.addSql(`create type "transaction_type" as enum ('INCOME', 'EXPENSE', 'TRANSFER');`);
    this.addSql(`create table "categories" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "name" text not null, "kind" "category_kind" not null, "parent_id" uuid null, "color" text null, constraint "categories_pkey" primary key ("id"));`);
    this.addSql(`create index "categories_user_id_index" on "categories" ("user_id");`);
    this.addSql(`create index "categories_parent_id_index" on "categories" ("parent_id");`);
    this.addSql(`create unique index "categories_name_unique" on "categories" ("user_id", "kind", coalesce("parent_id", '00000000-0000-0000-0000-000000000000'), lower("name"));`);

    this.addSql(`create table "accounts" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "name" text not null, "type" "account_type" not null, "currency" varchar(3) not null, "opening_balance" numeric(19,4) not null, "balance" numeric(19,4) not null, "archived" boolean not null default false, constraint "accounts_pkey" primary key ("id"));`);
    this.addSql(`create index "accounts_user_id_archived_index" on "accounts" ("user_id", "archived");`);

    this.addSql(`create table "transactions" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "account_id" uuid not null, "transfer_account_id" uuid null, "category_id" uuid null, "type" "transaction_type" not null, "amount" numeric(19,4) not null, "date" date not null, "description" text null, "tags" text[] not null default '{}', constraint "transactions_pkey" primary key ("id"), constraint transactions_transfer_shape check ((type = 'TRANSFER') = (transfer_account_id is not null) and (type <> 'TRANSFER' or category_id is null) and transfer_account_id is distinct from account_id), constraint transactions_amount_positive check (amount > 0));`);
    this.addSql(`create index "transactions_user_id_category_id_index" on "transactions" ("user_id", "category_id");`);
    this.addSql(`create index "transactions_user_id_transfer_account_id_index" on "transactions" ("user_id", "transfer_account_id");`);
    this.addSql(`create index "transactions_user_id_account_id_index" on "transactions" ("user_id", "account_id");`);
    this.addSql(`create index "transactions_tags_gin" on "transactions" using gin ("tags");`);
    this.addSql(`create index "transactions_user_id_created_at_id_index" on "transactions" ("user_id", "created_at", "id");`);
    this.addSql(`create index "transactions_user_id_amount_id_index" on "transactions" ("user_id", "amount", "id");`);
    this.addSql(`create index "transactions_user_id_date_id_index" on "transactions" ("user_id", "date", "id");`);

    this.addSql(`create table "idempotency_keys" ("user_id" uuid not null, "key" text not null, "request_hash" varchar(64) not null, "transaction_id" uuid null, "created_at" timestamptz not null default now(), constraint "idempotency_keys_pkey" primary key ("user_id", "key"));`);

    this.addSql(`alter table "categories" add constraint "categories_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "categories" add constraint "categories_parent_id_foreign" foreign key ("parent_id") references "categories" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "accounts" add constraint "accounts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "transactions" add constraint "transactions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "transactions" add constraint "transactions_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transactions" add constraint "transactions_transfer_account_id_foreign" foreign key ("transfer_account_id") references "accounts" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transactions" add constraint "transactions_category_id_foreign" foreign key ("category_id") references "categories" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "idempotency_keys" add constraint "idempotency_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "idempotency_keys" add constraint "idempotency_keys_transaction_id_foreign" foreign key ("transaction_id") references "transactions" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "categories" drop constraint "categories_parent_id_foreign";`);

    this.addSql(`alter table "transactions" drop constraint "transactions_category_id_foreign";`);

    this.addSql(`alter table "transactions" drop constraint "transactions_account_id_foreign";`);

    this.addSql(`alter table "transactions" drop constraint "transactions_transfer_account_id_foreign";`);

    this.addSql(`alter table "idempotency_keys" drop constraint "idempotency_keys_transaction_id_foreign";`);

    this.addSql(`drop table if exists "categories" cascade;`);

    this.addSql(`drop table if exists "accounts" cascade;`);

    this.addSql(`drop table if exists "transactions" cascade;`);

    this.addSql(`drop table if exists "idempotency_keys" cascade;`);

    this.addSql(`drop type "category_kind";`);
    this.addSql(`drop type "account_type";`);
    this.addSql(`drop type "transaction_type";`);
  }

}
