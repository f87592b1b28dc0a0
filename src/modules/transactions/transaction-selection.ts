import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { isAccountField, type AccountRow } from '../accounts/account-row.js';
import { categoryColumnOf, type CategoryColumn } from '../categories/category-row.js';

/** What a list query asks of each row's account and category: the columns to join, or null. */
export interface JoinedSelection {
  account: (keyof AccountRow)[] | null;
  category: CategoryColumn[] | null;
}

/**
 * Looks ahead into a `transactions` query (nodes and edges.node, through aliases, fragments and
 * @include/@skip) for the account and category fields it selects, so the page's one statement
 * reads exactly those. Unreadable info means no join: the field resolvers then load them.
 */
export function joinedSelection(info: GraphQLResolveInfo): JoinedSelection {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const connection = tree?.fieldsByTypeName.TransactionConnection ?? {};
  const rows: ResolveTree[] = [];
  for (const field of Object.values(connection)) {
    if (field.name === 'nodes') rows.push(field);
    if (field.name === 'edges') {
      for (const edgeField of Object.values(field.fieldsByTypeName.TransactionEdge ?? {})) {
        if (edgeField.name === 'node') rows.push(edgeField);
      }
    }
  }
  const account = new Set<keyof AccountRow>();
  const category = new Set<CategoryColumn>();
  let wantsAccount = false;
  let wantsCategory = false;
  for (const row of rows) {
    for (const field of Object.values(row.fieldsByTypeName.Transaction ?? {})) {
      if (field.name === 'account') {
        wantsAccount = true;
        for (const sub of Object.values(field.fieldsByTypeName.Account ?? {})) {
          if (isAccountField(sub.name)) account.add(sub.name);
        }
      }
      if (field.name === 'category') {
        wantsCategory = true;
        for (const sub of Object.values(field.fieldsByTypeName.Category ?? {})) {
          const column = categoryColumnOf(sub.name);
          if (column) category.add(column);
        }
      }
    }
  }
  // The id is always read: it tells an outer join's "no category" from a category.
  return {
    account: wantsAccount ? ['id', ...[...account].filter((field) => field !== 'id')] : null,
    category: wantsCategory ? ['id', ...[...category].filter((column) => column !== 'id')] : null,
  };
}
