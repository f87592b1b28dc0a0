import { ArrayType, Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { DecimalScalar } from '../../money/scalars.js';
import { Category } from '../categories/category.entity.js';
import { TransactionType } from '../transactions/transaction.entity.js';
import { User } from '../users/user.entity.js';

/** What a condition looks at (the rule engine's ConditionField). */
export enum RuleConditionField {
  DESCRIPTION = 'DESCRIPTION',
  PAYEE = 'PAYEE',
}
registerEnumType(RuleConditionField, {
  name: 'RuleConditionField',
  description: "What a condition looks at: the transaction's description or its payee.",
});

export enum RuleOperator {
  CONTAINS = 'CONTAINS',
  STARTS_WITH = 'STARTS_WITH',
  EQUALS = 'EQUALS',
  REGEX = 'REGEX',
}
registerEnumType(RuleOperator, {
  name: 'RuleOperator',
  description: 'All case-insensitive. REGEX is RE2 syntax (no backreferences or lookaround), unanchored.',
  valuesConfig: {
    CONTAINS: { description: 'The text contains value.' },
    STARTS_WITH: { description: 'The text starts with value.' },
    EQUALS: { description: 'The text is value.' },
    REGEX: { description: 'The RE2 pattern value matches somewhere in the text (use ^ and $ to anchor).' },
  },
});

@ObjectType({ description: 'A test of one field of a transaction; a missing description or payee is "".' })
export class RuleCondition {
  @Field(() => RuleConditionField)
  field: RuleConditionField;

  @Field(() => RuleOperator)
  operator: RuleOperator;

  @Field()
  value: string;
}

/**
 * A user's transaction rule: when every condition matches, its actions apply. Rows are read for
 * matching as plain JSON (rule-matching/enabled-rules.ts), with the same columns.
 */
@ObjectType({
  description: `A transaction rule: when all of its conditions match a transaction, its actions apply.
Enabled rules apply in ascending position (ties: the older first), each seeing the
transaction as the earlier ones left it; after a matching rule with stopProcessing,
no later rule applies. They apply to every new transaction (createTransaction) and,
on demand, to existing ones (applyRules).`,
})
@Entity({ tableName: 'rules' })
@Index({ properties: ['user', 'position', 'createdAt', 'id'] })
export class Rule extends BaseEntity<'enabled' | 'stopProcessing' | 'setCategory' | 'setDescription'> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => Int, { description: 'Rules apply in ascending position; ties by creation.' })
  @Property({ type: 'integer' })
  position: number;

  @Field()
  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  @Field({ description: 'When this rule matches, no later rule applies.' })
  @Property({ type: 'boolean', default: false })
  stopProcessing: boolean = false;

  @Field(() => [RuleCondition], { description: 'All must match (none: every transaction matches).' })
  @Property({ type: 'json', columnType: 'jsonb' })
  conditions: RuleCondition[];

  @Field(() => DecimalScalar, { nullable: true, description: 'Inclusive.' })
  @Property({ type: 'decimal', precision: 19, scale: 4, nullable: true })
  minAmount: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Inclusive.' })
  @Property({ type: 'decimal', precision: 19, scale: 4, nullable: true })
  maxAmount: string | null;

  @Field(() => [ID], {
    description: 'Matches transactions of these accounts (either side of a transfer); empty: any account.',
  })
  @Property({ type: new ArrayType(), columnType: 'uuid[]' })
  accountIds: string[];

  @Field(() => [TransactionType], { description: 'Matches transactions of these types; empty: any type.' })
  @Property({ type: 'text[]' })
  types: TransactionType[];

  /** Resolved by RuleResolver (setCategory). Deleting the category leaves the rule without it. */
  @ManyToOne(() => Category, { nullable: true, deleteRule: 'set null', index: true })
  setCategory: Rel<Category> | null = null;

  @Field(() => [String], { description: "Added to the transaction's tags." })
  @Property({ type: 'text[]' })
  addTags: string[];

  @Field(() => String, { nullable: true, description: 'Replaces the description.' })
  @Property({ type: 'text', nullable: true })
  setDescription: string | null = null;
}
