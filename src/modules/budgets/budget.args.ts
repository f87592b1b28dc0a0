import { ArgsType, Field, Int } from 'type-graphql';
import { IntBetween } from '../../validation/decorators.js';

export const MAX_HISTORY = 36;
export const DEFAULT_HISTORY = 6;

@ArgsType()
export class HistoryArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_HISTORY })
  @IntBetween(1, MAX_HISTORY)
  periods?: number | null;
}
