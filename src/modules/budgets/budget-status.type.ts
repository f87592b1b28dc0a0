import { Field, Float, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';

@ObjectType()
export class BudgetStatus {
  @Field(() => DateScalar)
  periodStart: string;

  @Field(() => DateScalar)
  periodEnd: string;

  @Field(() => DecimalScalar)
  budgeted: string;

  @Field(() => DecimalScalar)
  carriedOver: string;

  @Field(() => DecimalScalar, { description: 'budgeted + carriedOver' })
  available: string;

  @Field(() => DecimalScalar, { description: 'Positive sum of the counted expenses in the period.' })
  spent: string;

  @Field(() => DecimalScalar, { description: 'available - spent' })
  remaining: string;

  @Field(() => Float, {
    description:
      'spent / available * 100 (a percentage, may exceed 100); when available <= 0: 0 if nothing is spent, else 100.',
  })
  percentUsed: number;

  @Field({ description: 'spent > available' })
  overBudget: boolean;
}
