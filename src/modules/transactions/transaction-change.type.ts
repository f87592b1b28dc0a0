import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { TransactionChangedEvent } from '../../pubsub/pubsub.js';

export enum TransactionChangeKind {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
  IMPORTED = 'IMPORTED',
  IMPORT_UNDONE = 'IMPORT_UNDONE',
}
registerEnumType(TransactionChangeKind, {
  name: 'TransactionChangeKind',
  description: 'What a committed write did to a transaction (or, for an import, to many at once).',
  valuesConfig: {
    IMPORTED: {
      description:
        "commitImport created transactions (one event for the whole file): id is the import's id; refetch what you show of its account.",
    },
    IMPORT_UNDONE: { description: "undoImport deleted an import's transactions: id is the import's id." },
  },
});

/**
 * One event of Subscription.transactionChanged. Its root value holds ids only
 * (TransactionChangeRoot); `transaction` and `affectedAccounts` are read fresh for each event by
 * TransactionChangeResolver, and only when selected.
 */
@ObjectType({
  description:
    'A committed write of one of your transactions (by any client, through any server instance): what it did, the transaction, and the balances it moved.',
})
export class TransactionChange {
  @Field(() => TransactionChangeKind, {
    description: 'What the write did: CREATED, UPDATED or DELETED; IMPORTED or IMPORT_UNDONE for an import.',
  })
  kind: TransactionChangeKind;

  @Field(() => ID, {
    description: "The transaction's id (also for DELETED); the import's for IMPORTED and IMPORT_UNDONE.",
  })
  id: string;
}

/** The root value of a TransactionChange: the published event's ids. */
export interface TransactionChangeRoot {
  kind: TransactionChangeKind;
  id: string;
  /** The accounts whose balances the write moved, read when affectedAccounts is selected. */
  accountIds: string[];
}

/** The root value for a published event. */
export const changeRootOf = (event: TransactionChangedEvent): TransactionChangeRoot => ({
  kind: event.kind as TransactionChangeKind,
  id: event.transactionId,
  accountIds: event.accountIds,
});
