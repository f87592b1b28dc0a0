import { Migration } from '@mikro-orm/migrations';

/**
 * `budget_spending`: what budgets spent per numbered date range, from the running totals
 * (modules/budgets/budget-spending.ts passes the ranges' segments as arrays, as
 * modules/ledger/total-ranges.ts cuts them). It is the same statement the server used to send,
 * moved into a function for one reason: a function can carry its own `plan_cache_mode`. The
 * server's sessions plan every prepared statement per run (db/orm.ts: a generic plan once
 * counted a small user's rows with parallel workers), which for this statement was about a
 * third of its time (pgbench on a million-row user: 0.45-0.55 ms planned per run, 0.32-0.36
 * planned once). Every transaction write with an alert threshold still to reach runs it; its
 * plan, an index range scan per segment, does not depend on the values. Two static queries, so
 * each gets its own plan:
 * `p_categories` holds each range's category (null: every expense), or is null when no range
 * has one, so the category tree is walked only when needed.
 */
export class Migration20261223000000_budget_spending extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "budget_spending"(
        p_user uuid, p_idx int[], p_grain text[], p_first date[], p_last date[], p_categories uuid[])
      returns table (idx int, spent numeric)
      language plpgsql stable
      set plan_cache_mode = force_generic_plan
      as $$
      begin
        if p_categories is null then
          return query
          select s.idx, coalesce(sum(sums.amount), 0)
          from unnest(p_idx, p_grain, p_first, p_last) as s(idx, grain, first_start, last_start)
          left join lateral (
            select sum(lt.amount) as amount
            from "ledger_totals" lt
            where lt."user_id" = p_user and lt."grain" = s.grain
              and lt."starts" between s.first_start and s.last_start and lt."type" = 'EXPENSE'
              and lt."account_id" in (
                select a."id" from "accounts" a
                where a."user_id" = p_user
                  and a."currency" = (select u."currency" from "users" u where u."id" = p_user))
          ) as sums on true
          group by s.idx
          order by s.idx;
        else
          return query
          with recursive scope(root, id) as (
            select c."id", c."id" from "categories" c where c."user_id" = p_user and c."id" = any(p_categories)
            union
            select sc.root, c."id" from "categories" c join scope sc on c."parent_id" = sc.id
          )
          select s.idx, coalesce(sum(sums.amount), 0)
          from unnest(p_idx, p_grain, p_first, p_last) as s(idx, grain, first_start, last_start)
          left join lateral (
            select sum(lt.amount) as amount
            from "ledger_totals" lt
            where lt."user_id" = p_user and lt."grain" = s.grain
              and lt."starts" between s.first_start and s.last_start and lt."type" = 'EXPENSE'
              and lt."account_id" in (
                select a."id" from "accounts" a
                where a."user_id" = p_user
                  and a."currency" = (select u."currency" from "users" u where u."id" = p_user))
              and (p_categories[s.idx] is null
                   or lt."category_id" in (select sc.id from scope sc where sc.root = p_categories[s.idx]))
          ) as sums on true
          group by s.idx
          order by s.idx;
        end if;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists "budget_spending"(uuid, int[], text[], date[], date[], uuid[]);`);
  }
}
