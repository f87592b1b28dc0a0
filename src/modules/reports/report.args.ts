import { IsOptional } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { IntBetween, IsCurrency } from '../../validation/decorators.js';

export const MAX_RECENT = 100;
export const DEFAULT_RECENT = 5;

@ArgsType()
export class CurrencyArgs {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsCurrency()
  currency?: string | null;
}

@ArgsType()
export class RecentTransactionsArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_RECENT })
  @IntBetween(1, MAX_RECENT)
  first?: number | null;
}
