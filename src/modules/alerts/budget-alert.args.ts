import { ArgsType, Field, ID, Int } from 'type-graphql';
import { IntBetween } from '../../validation/decorators.js';

export const MAX_ALERTS = 500;
export const DEFAULT_ALERTS = 50;

@ArgsType()
export class BudgetAlertsArgs {
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  unreadOnly?: boolean | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_ALERTS })
  @IntBetween(1, MAX_ALERTS)
  first?: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The next page: the alerts after this one (the last of the previous page) in the list order.',
  })
  after?: string | null;
}
