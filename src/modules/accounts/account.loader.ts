import { ownedLoader, type Context } from '../../context.js';
import { Account } from './account.entity.js';

/** The caller's accounts by id, batched; re-read, since a write in the operation moved balances in SQL. */
export const accountLoader = (context: Context) => ownedLoader(context, Account, { refresh: true });
