import { ArrayType, Check, Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { Category } from '../categories/category.entity.js';
import { User } from '../users/user.entity.js';

export enum BudgetPeriod {
  WEEKLY = 'WEEKLY',
  MONTHLY = 'MONTHLY',
  YEARLY = 'YEARLY',
}
registerEnumType(BudgetPeriod, { name: 'BudgetPeriod' });

/**
 * Counts EXPENSE transactions of its category and all the category's descendants; with no
 * category, every EXPENSE transaction (uncategorized included). Only the user's accounts in the
 * user's currency count. status and history are resolved by BudgetResolver.
 */
@ObjectType({
  description: `Counts EXPENSE transactions of its category and all the category's descendants;
with no category, every EXPENSE transaction (uncategorized included). Only the
user's accounts in the user's currency count.`,
})
@Entity({ tableName: 'budgets' })
@Check({ name: 'budgets_amount_positive', expression: 'amount > 0' })
export class Budget extends BaseEntity<'rollover' | 'category'> {
  @ManyToOne(() => User, { deleteRule: 'cascade', index: true })
  user: Rel<User>;

  @Field()
  @Property({ type: 'text' })
  name: string;

  /** Deleting the category deletes its budgets (contract). */
  @ManyToOne(() => Category, { nullable: true, deleteRule: 'cascade', index: true })
  category: Rel<Category> | null = null;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 19, scale: 4 })
  amount: string;

  @Field(() => BudgetPeriod)
  @Enum({ items: () => BudgetPeriod, nativeEnumName: 'budget_period' })
  period: BudgetPeriod;

  @Field(() => DateScalar, {
    description: `WEEKLY periods start on this date's weekday; MONTHLY on its day of month, or on
the month's last day when the month is shorter (start day 31: 28 Feb, 30 Apr);
YEARLY on its month and day (29 Feb: 28 Feb in other years). A period ends the
day before the next one starts. Periods are cut at the ends of the supported date
range: none starts before 1900-01-01 or ends after 9999-12-31.`,
  })
  @Property({ type: 'date' })
  startDate: string;

  @Field({
    description:
      "Each period's carriedOver is the previous period's remaining (negative when overspent), chained from startDate.",
  })
  @Property({ type: 'boolean', default: false })
  rollover: boolean = false;

  /** Sorted, without duplicates, each 1..1000, at most 10. */
  @Field(() => [Int], {
    description:
      "Percentages of the period's available amount; an alert fires when spent >= threshold% of available, at most once per threshold and period.",
  })
  @Property({ type: new ArrayType<number>((value) => Number(value)), columnType: 'integer[]' })
  alertThresholds: number[];
}
