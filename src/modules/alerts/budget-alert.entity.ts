import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { Budget } from '../budgets/budget.entity.js';
import { User } from '../users/user.entity.js';

/**
 * Created when a write makes a budget's spending reach one of its thresholds in a period; the
 * unique key makes that happen at most once per (budget, period, threshold), whatever the
 * concurrency. The figures are those at the moment it fired.
 */
@ObjectType({
  description:
    "Created when a write makes a budget's spending reach one of its thresholds in a period. Stored first, then pushed.",
})
@Entity({ tableName: 'budget_alerts' })
@Unique({ properties: ['budget', 'periodStart', 'threshold'] })
export class BudgetAlert extends BaseEntity<'read'> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @ManyToOne(() => Budget, { deleteRule: 'cascade', index: true })
  budget: Rel<Budget>;

  @Field(() => Int)
  @Property({ type: 'integer' })
  threshold: number;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  periodStart: string;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  periodEnd: string;

  /**
   * Sums of many amounts (and, with rollover, of many periods' budgets), so they can pass what
   * one amount column holds: unconstrained numeric, exact at any size.
   */
  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', columnType: 'numeric' })
  spent: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', columnType: 'numeric' })
  available: string;

  @Field(() => Float)
  @Property({ type: 'double' })
  percentUsed: number;

  @Field()
  @Property({ type: 'boolean', default: false })
  read: boolean = false;
}
