import { Field, ObjectType } from 'type-graphql';
import { DeletedObject } from '../../db/deleted-object.type.js';
import { Account } from '../accounts/account.entity.js';
import type { AccountRow } from '../accounts/account-row.js';

@ObjectType({
  simpleResolvers: true,
  description: 'What removeTransaction changed, in the shape a normalized client cache needs.',
})
export class TransactionRemoval {
  @Field(() => DeletedObject, { description: 'The deleted transaction, to evict.' })
  removed: DeletedObject;

  @Field(() => [Account], {
    description: 'Every account whose balance the delete moved, with its balance after it.',
  })
  affectedAccounts: AccountRow[];
}
