import { Migration } from '@mikro-orm/migrations';

/**
 * Transaction rules: each user's own, applied in (position, created_at, id) order to new
 * transactions and on demand (applyRules). Conditions and actions are columns; the description
 * conditions a JSON array. Deleting the user deletes the rules; deleting the category a rule sets
 * leaves the rule without that action.
 */
export class Migration20261210000000_rules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "rules" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "name" text not null, "position" int not null, "enabled" boolean not null default true, "stop_processing" boolean not null default false, "conditions" jsonb not null default '[]', "min_amount" numeric(19,4) null, "max_amount" numeric(19,4) null, "account_ids" uuid[] not null default '{}', "types" text[] not null default '{}', "set_category_id" uuid null, "add_tags" text[] not null default '{}', "set_description" text null, constraint "rules_pkey" primary key ("id"));`);
    this.addSql(`create index "rules_user_id_position_index" on "rules" ("user_id", "position", "created_at", "id");`);
    this.addSql(`create index "rules_set_category_id_index" on "rules" ("set_category_id");`);
    this.addSql(`alter table "rules" add constraint "rules_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "rules" add constraint "rules_set_category_id_foreign" foreign key ("set_category_id") references "categories" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rules" cascade;`);
  }
}
