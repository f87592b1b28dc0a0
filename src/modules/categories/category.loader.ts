import { ownedRowLoader, type Context } from '../../context.js';
import { preparedRows } from '../../db/prepared-rows.js';
import { categoryColumns, categoryRowOf } from './category-row.js';

/** The caller's categories by id, batched per operation. */
export const categoryLoader = (context: Context) =>
  ownedRowLoader(context, categoryLoader, async (userId, ids) => {
    const rows = await preparedRows<Record<string, unknown>>(
      context.em,
      `select ${categoryColumns()} from categories c where c.user_id = $1 and c.id = any($2::uuid[])`,
      [userId, ids],
    );
    return rows.map((row) => categoryRowOf(row));
  });
