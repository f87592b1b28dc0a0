import { Migration } from '@mikro-orm/migrations';

export class Migration20261130005313_budgets extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "budget_period" as enum ('WEEKLY', 'MONTHLY', 'YEARLY');`);
    this.addSql(`create table "budgets" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "name" text not null, "category_id" uuid null, "amount" numeric(19,4) not null, "period" "budget_period" not null, "start_date" date not null, "rollover" boolean not null default false, "alert_thresholds" integer[] not null, constraint "budgets_pkey" primary key ("id"), constraint budgets_amount_positive check (amount > 0));`);
    this.addSql(`create index "budgets_user_id_index" on "budgets" ("user_id");`);
    this.addSql(`create index "budgets_category_id_index" on "budgets" ("category_id");`);

    this.addSql(`create table "budget_alerts" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "budget_id" uuid not null, "threshold" int not null, "period_start" date not null, "period_end" date not null, "spent" numeric(19,4) not null, "available" numeric(19,4) not null, "percent_used" double precision not null, "read" boolean not null default false, constraint "budget_alerts_pkey" primary key ("id"));`);
    this.addSql(`create index "budget_alerts_budget_id_index" on "budget_alerts" ("budget_id");`);
    this.addSql(`alter table "budget_alerts" add constraint "budget_alerts_budget_id_period_start_threshold_unique" unique ("budget_id", "period_start", "threshold");`);

    this.addSql(`alter table "budgets" add constraint "budgets_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "budgets" add constraint "budgets_category_id_foreign" foreign key ("category_id") references "categories" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "budget_alerts" add constraint "budget_alerts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "budget_alerts" add constraint "budget_alerts_budget_id_foreign" foreign key ("budget_id") references "budgets" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "budget_alerts" drop constraint "budget_alerts_budget_id_foreign";`);

    this.addSql(`drop table if exists "budgets" cascade;`);

    this.addSql(`drop table if exists "budget_alerts" cascade;`);

    this.addSql(`drop type "budget_period";`);
  }

}
