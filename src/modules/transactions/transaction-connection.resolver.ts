import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { TransactionConnection } from './transaction-connection.type.js';

@Resolver(() => TransactionConnection)
export class TransactionConnectionResolver {
  /** Counted only when a query selects it (its query is in the cost of `transactions`). */
  @FieldResolver(() => Int, {
    description:
      'How many transactions match the filter. With only dates, accounts, categories and types it is read ' +
      'from running totals, at a cost that does not grow with history; with amounts, search or tags the ' +
      'rows are counted within the server statement timeout, and a count cut short is BAD_USER_INPUT on filter.',
  })
  totalCount(@Root() connection: TransactionConnection): Promise<number> {
    return connection.countTotal();
  }
}
