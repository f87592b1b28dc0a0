import { ArrayMaxSize, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { SafeText } from '../../validation/decorators.js';
import { BudgetPeriod } from './budget.entity.js';

const THRESHOLDS = (target: object, property: string | symbol) => {
  IsOptional()(target, property);
  ArrayMaxSize(10, { message: '$property must have at most 10 entries' })(target, property);
  IsInt({ each: true, message: 'each of $property must be a whole percentage' })(target, property);
  Min(1, { each: true, message: 'each of $property must be between 1 and 1000' })(target, property);
  Max(1000, { each: true, message: 'each of $property must be between 1 and 1000' })(target, property);
};

@InputType()
export class CreateBudgetInput {
  @Field(() => String, { nullable: true, description: 'Default: the category\'s name, or "All expenses".' })
  @IsOptional()
  @SafeText({ min: 1, max: 100 })
  name?: string | null;

  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => DecimalScalar)
  amount: string;

  @Field(() => BudgetPeriod)
  period: BudgetPeriod;

  @Field(() => DateScalar, { nullable: true, description: 'Default: first day of the current month.' })
  startDate?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  rollover?: boolean | null;

  @Field(() => [Int], { nullable: true, defaultValue: [80, 100] })
  @THRESHOLDS
  alertThresholds?: number[] | null;
}

/** Fields left out keep their value; categoryId: null makes it count every expense. */
@InputType()
export class UpdateBudgetInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ min: 1, max: 100 })
  name?: string | null;

  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  amount?: string | null;

  @Field(() => BudgetPeriod, { nullable: true })
  period?: BudgetPeriod | null;

  @Field(() => DateScalar, { nullable: true })
  startDate?: string | null;

  @Field(() => Boolean, { nullable: true })
  rollover?: boolean | null;

  @Field(() => [Int], { nullable: true })
  @THRESHOLDS
  alertThresholds?: number[] | null;
}
