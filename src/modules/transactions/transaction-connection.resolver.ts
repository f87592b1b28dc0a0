import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { TransactionConnection } from './transaction-connection.type.js';
import { queryCost } from '../../limits/cost.js';

@Resolver(() => TransactionConnection)
export class TransactionConnectionResolver {
  /** Counted only when a query selects it. */
  @FieldResolver(() => Int, { complexity: queryCost })
  totalCount(@Root() connection: TransactionConnection): Promise<number> {
    return connection.countTotal();
  }
}
