import { Migration } from '@mikro-orm/migrations';

/**
 * Bank-file imports: each import's record (what it created, skipped and refused), and on each
 * transaction its payee, the bank's own id of the row (unique per account, so the same file
 * imported twice creates nothing the second time) and the import that created it (undoImport
 * deletes by it). A transaction moved to another account leaves its bank id behind
 * (transaction-store.ts), so the key never blocks a move.
 */
export class Migration20261220000000_imports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "imports" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "account_id" uuid not null, "file_name" text null, "format" text not null, "file_hash" text not null, "created_count" int not null default 0, "duplicate_count" int not null default 0, "refused_count" int not null default 0, "undone_at" timestamptz null, constraint "imports_pkey" primary key ("id"));`);
    this.addSql(`create index "imports_user_id_created_at_id_index" on "imports" ("user_id", "created_at", "id");`);
    this.addSql(`create index "imports_account_id_index" on "imports" ("account_id");`);
    this.addSql(`alter table "imports" add constraint "imports_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "imports" add constraint "imports_account_id_foreign" foreign key ("account_id") references "accounts" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "transactions" add column "payee" text null, add column "bank_id" text null, add column "import_id" uuid null;`);
    this.addSql(`alter table "transactions" add constraint "transactions_import_id_foreign" foreign key ("import_id") references "imports" ("id") on update cascade on delete set null;`);
    this.addSql(`create unique index "transactions_account_id_bank_id_unique" on "transactions" ("account_id", "bank_id") where "bank_id" is not null;`);
    this.addSql(`create index "transactions_import_id_index" on "transactions" ("import_id") where "import_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "transactions" drop column "import_id", drop column "bank_id", drop column "payee";`);
    this.addSql(`drop table if exists "imports" cascade;`);
  }
}
