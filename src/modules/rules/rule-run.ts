import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { isCalendarDate } from '../../calendar/dates.js';
import { SqlParams } from '../../db/sql-params.js';
import { badInput } from '../../errors/app-error.js';
import { DateScalar } from '../../money/scalars.js';
import { enabledRules } from '../rule-matching/enabled-rules.js';
import { applyRules, type StoredRule } from '../rule-matching/rule-engine.js';
import { assertOwned } from '../transactions/ownership.js';
import { filterCondition } from '../transactions/transaction-filter.js';
import {
  TRANSACTION_COLUMNS,
  toTransactionRow,
  type TransactionColumns,
  type TransactionRow,
} from '../transactions/transaction-row.js';
import { specOf, type TransactionSpec } from '../transactions/transaction-spec.js';
import type { TransactionFilter } from '../transactions/transaction.inputs.js';
import type { TransactionService } from '../transactions/transaction.service.js';

/** The most transactions one applyRules call looks at; beyond, `truncated` and the client pages. */
export const MAX_RULE_RUN = 5_000;
/** Changes written per database transaction: each batch is all or nothing. */
export const RULE_RUN_BATCH = 200;

@ObjectType({ description: 'What rules change of a transaction.', simpleResolvers: true })
export class RuleRunState {
  @Field(() => ID, { nullable: true })
  categoryId: string | null;

  @Field(() => [String])
  tags: string[];

  @Field(() => String, { nullable: true })
  description: string | null;
}

@ObjectType({ simpleResolvers: true })
export class RuleRunChange {
  @Field(() => ID)
  transactionId: string;

  @Field(() => RuleRunState)
  before: RuleRunState;

  @Field(() => RuleRunState)
  after: RuleRunState;
}

@ObjectType({
  description: `What applyRules found and, unless dryRun, changed. The transactions are taken oldest
first (date, then id), at most ${MAX_RULE_RUN} per call: when truncated, call again with
after: endCursor for the next ones.`,
  simpleResolvers: true,
})
export class RuleRun {
  @Field()
  dryRun: boolean;

  @Field(() => Int, { description: 'Transactions looked at.' })
  scanned: number;

  @Field(() => Int, { description: 'Transactions at least one rule matched.' })
  matched: number;

  @Field(() => Int, { description: 'Transactions whose category, tags or description changed (or would).' })
  changed: number;

  @Field({
    description: `More than ${MAX_RULE_RUN} transactions matched the filter; the rest were not looked at.`,
  })
  truncated: boolean;

  @Field(() => DateScalar, { nullable: true, description: 'The date of the last transaction looked at.' })
  lastDate: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Where this call stopped: pass it as applyRules(after:) to go on from the next transaction.',
  })
  endCursor: string | null;

  @Field(() => [RuleRunChange])
  changes: RuleRunChange[];
}

/** A position in (date, id) order, as endCursor shows it and `after` takes it. */
const CURSOR = /^(\d{4}-\d{2}-\d{2})~([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const cursorOf = (row: TransactionRow): string => `${row.date}~${row.id}`;

function parseCursor(after: string): { date: string; id: string } {
  const match = CURSOR.exec(after);
  if (!match || !isCalendarDate(match[1]!))
    throw badInput('after', 'after must be an endCursor applyRules returned');
  return { date: match[1]!, id: match[2]!.toLowerCase() };
}

const stateOf = (spec: Pick<TransactionSpec, 'categoryId' | 'tags' | 'description'>): RuleRunState => ({
  categoryId: spec.categoryId,
  tags: spec.tags,
  description: spec.description,
});

const sameState = (a: RuleRunState, b: RuleRunState): boolean =>
  a.categoryId === b.categoryId && a.description === b.description && a.tags.join('\0') === b.tags.join('\0');

/** The row's spec after the rules, when they change it; null when they do not. */
function ruled(
  rules: readonly StoredRule[],
  row: TransactionRow,
): { spec: TransactionSpec | null; matched: boolean } {
  const before = specOf(row);
  const { result, matched } = applyRules(rules, before);
  return { spec: sameState(stateOf(before), stateOf(result)) ? null : result, matched };
}

/**
 * Applies the caller's enabled rules to their transactions matching `filter` (as on create: a
 * category only where there is none). A dry run reads and reports. Otherwise each batch of
 * changes goes through the transaction writer (TransactionService.rewrite: rows re-read under
 * their locks and re-ruled, balances and running totals moved by category, alerts evaluated),
 * each batch in one database transaction.
 */
export async function runRules(
  em: EntityManager,
  userId: string,
  filter: TransactionFilter,
  dryRun: boolean,
  after: string | null,
  writer: () => TransactionService,
  /** Told each batch's rows as stored, once that batch has committed (live sync). */
  committed: (rows: TransactionRow[]) => void = () => undefined,
): Promise<RuleRun> {
  const position = after ? parseCursor(after) : null;
  await assertOwned(em, userId, filter);
  const rules = await enabledRules(em, userId);
  const params = new SqlParams('question');
  const condition = filterCondition(userId, filter, params);
  const past = position
    ? `and (t.date, t.id) > (${params.add(position.date)}::date, ${params.add(position.id)}::uuid)`
    : '';
  const rows = (
    await em.execute<TransactionColumns[]>(
      `select ${TRANSACTION_COLUMNS} from transactions t where ${condition} ${past}
       order by t.date, t.id limit ${MAX_RULE_RUN + 1}`,
      params.values,
    )
  ).map((row) => toTransactionRow(row));
  const truncated = rows.length > MAX_RULE_RUN;
  const scanned = rows.slice(0, MAX_RULE_RUN);
  let matched = 0;
  const planned: RuleRunChange[] = [];
  for (const row of rules.length ? scanned : []) {
    const outcome = ruled(rules, row);
    if (outcome.matched) matched++;
    if (outcome.spec) {
      planned.push({ transactionId: row.id, before: stateOf(specOf(row)), after: stateOf(outcome.spec) });
    }
  }
  const result = {
    dryRun,
    scanned: scanned.length,
    matched,
    truncated,
    lastDate: scanned.at(-1)?.date ?? null,
    endCursor: scanned.length ? cursorOf(scanned.at(-1)!) : after,
  };
  if (dryRun) return { ...result, changed: planned.length, changes: planned };

  const changes: RuleRunChange[] = [];
  for (let start = 0; start < planned.length; start += RULE_RUN_BATCH) {
    const ids = planned.slice(start, start + RULE_RUN_BATCH).map((change) => change.transactionId);
    const written = await writer().rewrite(ids, (row) => ruled(rules, row).spec);
    committed(written.map((change) => change.after));
    const byId = new Map(written.map((change) => [change.before.id, change]));
    // In the order planned (date, id), each as stored.
    for (const id of ids) {
      const change = byId.get(id);
      if (change)
        changes.push({
          transactionId: id,
          before: stateOf(specOf(change.before)),
          after: stateOf(specOf(change.after)),
        });
    }
  }
  return { ...result, changed: changes.length, changes };
}
