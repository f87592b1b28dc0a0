import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { CurrentUser, signedInUser } from '../../auth/auth-checker.js';
import { refreshForEvent, type AuthUser, type Context } from '../../context.js';
import type { BudgetAlertEvent } from '../../pubsub/pubsub.js';
import { Budget } from '../budgets/budget.entity.js';
import { BudgetAlertsArgs, DEFAULT_ALERTS, MAX_ALERTS } from './budget-alert.args.js';
import { BudgetAlertService } from './budget-alert.service.js';
import { BudgetAlert } from './budget-alert.entity.js';
import { listCost, sizeArg } from '../../limits/cost.js';
import { budgetLoader } from '../budgets/budget.loader.js';

@Authorized()
@Resolver(() => BudgetAlert)
export class BudgetAlertResolver {
  @Query(() => [BudgetAlert], {
    complexity: listCost((args) => sizeArg(args, 'first', DEFAULT_ALERTS, MAX_ALERTS)),
  })
  budgetAlerts(
    @Args() { unreadOnly, first, after }: BudgetAlertsArgs,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<BudgetAlert[]> {
    return new BudgetAlertService(ctx.em, user.id).list(unreadOnly ?? false, first ?? DEFAULT_ALERTS, after);
  }

  @Mutation(() => BudgetAlert)
  markBudgetAlertRead(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<BudgetAlert> {
    return new BudgetAlertService(ctx.em, user.id).markRead(id);
  }

  @FieldResolver(() => Budget)
  budget(@Root() alert: BudgetAlert, @Ctx() ctx: Context): Promise<Budget> {
    return budgetLoader(ctx).load(alert.budget.id);
  }

  /**
   * The caller's alerts only, from every server instance: each user has a topic of their own.
   * The stored alert is read back, within the caller's data, for each event.
   */
  @Subscription(() => BudgetAlert, {
    description: "The caller's alerts only, from every server instance.",
    topics: 'BUDGET_ALERT',
    topicId: ({ context }) => signedInUser(context as Context).id,
  })
  async budgetAlert(
    @Root() event: BudgetAlertEvent,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<BudgetAlert> {
    refreshForEvent(ctx);
    const alert = await new BudgetAlertService(ctx.em, user.id).get(event.alertId);
    // Resolved for this subscriber: graphql-ws sends it next.
    ctx.app.metrics.alertsDelivered.inc();
    return alert;
  }
}
