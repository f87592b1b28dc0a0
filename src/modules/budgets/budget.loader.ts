import { ownedLoader, type Context } from '../../context.js';
import { Budget } from './budget.entity.js';

/** The caller's budgets by id, batched. */
export const budgetLoader = (context: Context) => ownedLoader(context, Budget);
