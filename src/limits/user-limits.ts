import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../errors/app-error.js';

type Owned = 'accounts' | 'categories' | 'budgets' | 'rules' | 'recurring_transactions';

/**
 * Refuses one more row of `table` for a user who already has `max` (MAX_ACCOUNTS, …): lists
 * without paging stay bounded, and so does what any one user can make the server compute.
 * Must run inside the database transaction that inserts: the user's row is locked first, so
 * concurrent creations are counted one after another.
 */
export async function assertBelowLimit(
  em: EntityManager,
  userId: string,
  table: Owned,
  max: number,
): Promise<void> {
  await em.execute('select id from users where id = ? for update', [userId]);
  const [row] = await em.execute<{ count: string }[]>(
    `select count(*) as count from ${table} where user_id = ?`,
    [userId],
  );
  if (Number(row?.count) >= max) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      `You can have at most ${max} ${table.replaceAll('_', ' ')}; delete some before adding more`,
    );
  }
}
