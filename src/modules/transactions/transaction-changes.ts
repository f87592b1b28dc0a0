import type { Logger } from '../../logger.js';
import type { AppPubSub, TransactionChangedEvent } from '../../pubsub/pubsub.js';

/**
 * Tells the owner's transactionChanged subscribers, on every server instance, about a write.
 * Call it only once the write has committed (a subscriber reads the rows fresh). The write stands
 * whatever happens here: nothing is awaited (Redis publishes in the background and logs its own
 * failures) and a failure to publish is logged, never thrown. Without subscribers it costs one
 * in-process dispatch, or one Redis PUBLISH.
 */
export function publishTransactionChange(
  pubSub: AppPubSub,
  log: Logger,
  userId: string,
  kind: TransactionChangedEvent['kind'],
  transactionId: string,
  movedAccounts: readonly { id: string }[],
): void {
  try {
    pubSub.publish('TRANSACTION_CHANGED', userId, {
      kind,
      transactionId,
      accountIds: movedAccounts.map((account) => account.id).sort(),
    });
  } catch (error) {
    log.warn({ err: error, transactionId, kind }, 'publishing a transaction change failed');
  }
}
