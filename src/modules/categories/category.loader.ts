import { ownedLoader, type Context } from '../../context.js';
import { Category } from './category.entity.js';

/** The caller's categories by id, batched. */
export const categoryLoader = (context: Context) => ownedLoader(context, Category);
