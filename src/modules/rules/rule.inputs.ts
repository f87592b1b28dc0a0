import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { DecimalScalar } from '../../money/scalars.js';
import { IntBetween, IsIdList, IsTagList, SafeText } from '../../validation/decorators.js';
import { TransactionType } from '../transactions/transaction.entity.js';
import { TransactionFilter } from '../transactions/transaction.inputs.js';
import { MAX_CONDITION_LENGTH } from '../rule-matching/rule-engine.js';
import { RuleConditionField, RuleOperator } from './rule.entity.js';

export const MAX_CONDITIONS = 10;
export const MAX_POSITION = 1_000_000;

@InputType({
  description: `One test of a transaction. value: 1..${MAX_CONDITION_LENGTH} characters; for REGEX an RE2 pattern,
checked when the rule is saved (BAD_USER_INPUT on conditions when RE2 refuses it).`,
})
export class RuleConditionInput {
  // Nullable with its default: graphql-jit refuses a non-null input field with a default left out.
  @Field(() => RuleConditionField, { nullable: true, defaultValue: RuleConditionField.DESCRIPTION })
  field?: RuleConditionField | null;

  @Field(() => RuleOperator)
  operator: RuleOperator;

  /** Checked by RuleService (BAD_USER_INPUT on conditions, with the condition's index). */
  @Field()
  value: string;
}

const CONDITIONS = (target: object, property: string | symbol) => {
  IsOptional()(target, property);
  ArrayMaxSize(MAX_CONDITIONS, { message: `$property must have at most ${MAX_CONDITIONS} entries` })(
    target,
    property,
  );
  ValidateNested({ each: true })(target, property);
};

const POSITION = IntBetween(0, MAX_POSITION);

/** What createRule and updateRule share; updateRule's fields left out keep their value. */
@InputType()
abstract class RuleFieldsInput {
  @Field(() => [RuleConditionInput], {
    nullable: true,
    description: `All must match; at most ${MAX_CONDITIONS}.`,
  })
  @CONDITIONS
  conditions?: RuleConditionInput[] | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Inclusive; not negative.' })
  minAmount?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Inclusive; not below minAmount.' })
  maxAmount?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Your accounts; matches either side of a transfer.' })
  @IsOptional()
  @IsIdList()
  accountIds?: string[] | null;

  @Field(() => [TransactionType], { nullable: true })
  types?: TransactionType[] | null;

  @Field(() => ID, {
    nullable: true,
    description: `Action: sets this category (yours), only on a transaction that has none: a categoryId
the client sends always wins, and so does the category of an earlier rule. Applies
only to transactions whose type is the category's kind (EXPENSE or INCOME).`,
  })
  setCategoryId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Action: adds these tags (trimmed, without duplicates).',
  })
  @IsOptional()
  @IsTagList()
  addTags?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Action: replaces the description.' })
  @IsOptional()
  @SafeText({ min: 1, max: 500 })
  setDescription?: string | null;

  @Field(() => Boolean, { nullable: true })
  stopProcessing?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}

@InputType({
  description: `A rule needs at least one action (setCategoryId, addTags, setDescription).
position: 0..${MAX_POSITION}; default: after your last rule.`,
})
export class CreateRuleInput extends RuleFieldsInput {
  @Field()
  @SafeText({ min: 1, max: 100 })
  name: string;

  @Field(() => Int, { nullable: true })
  @POSITION
  position?: number | null;
}

@InputType({
  description: `Fields left out (or null) keep their value, except minAmount, maxAmount, setCategoryId and
setDescription, which null clears. A list replaces the whole list ([] clears it).`,
})
export class UpdateRuleInput extends RuleFieldsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ min: 1, max: 100 })
  name?: string | null;

  @Field(() => Int, { nullable: true })
  @POSITION
  position?: number | null;
}

@ArgsType()
export class ApplyRulesArgs {
  @Field(() => TransactionFilter, {
    nullable: true,
    description: "Which of your transactions (as in transactions' filter); none: all of them.",
  })
  @ValidateNested()
  filter?: TransactionFilter | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'true (the default): only report what would change.',
  })
  dryRun?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'The endCursor of an earlier call: go on after the last transaction it looked at.',
  })
  @IsOptional()
  @SafeText({ max: 100 })
  after?: string | null;
}
