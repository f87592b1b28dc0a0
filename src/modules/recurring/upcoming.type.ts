import { Field, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { TransactionType } from '../transactions/transaction.entity.js';
import { RecurringTransaction } from './recurring.entity.js';

/** One occurrence of a schedule, not yet materialized; category is resolved by its resolver. */
@ObjectType({ description: 'An occurrence of a recurring transaction, not yet materialized.' })
export class UpcomingOccurrence {
  @Field(() => RecurringTransaction)
  schedule: RecurringTransaction;

  @Field(() => DateScalar, {
    description:
      'When it is due (the key of skipOccurrence and editOccurrence); it materializes on this day.',
  })
  scheduledDate: string;

  @Field(() => DateScalar, { description: "The transaction's date: scheduledDate unless edited." })
  date: string;

  @Field(() => TransactionType)
  type: TransactionType;

  @Field(() => DecimalScalar)
  amount: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  categoryId: string | null;

  @Field({ description: 'Skipped: it will make no transaction.' })
  skipped: boolean;

  @Field({
    description: 'Changed by editOccurrence: amount, description, category or date differ from the schedule.',
  })
  edited: boolean;
}
