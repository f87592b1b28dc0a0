import type { EntityManager } from '@mikro-orm/postgresql';
import { SqlParams } from '../../db/sql-params.js';
import type { StoredRule } from './rule-engine.js';

/**
 * A scalar subquery: the JSON array of the user's enabled rules in the order they apply
 * (position, then creation), each with its category's kind, as StoredRule. For a user without
 * rules it is one probe of the (user_id, position) index, so a write can read it with its locks,
 * in the same statement, at no cost worth counting.
 */
export function enabledRulesColumn(userId: string, params: SqlParams): string {
  return `(select coalesce(json_agg(r order by r.position, r.created_at, r.id), '[]'::json) from (
      select r.id, r.position, r.created_at, r.conditions, r.min_amount::text as min_amount,
             r.max_amount::text as max_amount, r.account_ids, r.types, r.set_category_id,
             c.kind as category_kind, r.add_tags, r.set_description, r.stop_processing
      from rules r left join categories c on c.id = r.set_category_id and c.user_id = r.user_id
      where r.user_id = ${params.add(userId)}::uuid and r.enabled
    ) r)`;
}

/** The user's enabled rules in the order they apply. */
export async function enabledRules(em: EntityManager, userId: string): Promise<StoredRule[]> {
  const params = new SqlParams('question');
  const [row] = await em.execute<{ rules: StoredRule[] }[]>(
    `select ${enabledRulesColumn(userId, params)} as rules`,
    params.values,
  );
  return row?.rules ?? [];
}
