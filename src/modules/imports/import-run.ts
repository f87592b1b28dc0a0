import type { EntityManager } from '@mikro-orm/postgresql';
import { SqlParams } from '../../db/sql-params.js';
import { badInput } from '../../errors/app-error.js';
import { formatCents, toCents } from '../../money/money.js';
import type { SpendingChange } from '../alerts/alert-evaluation.js';
import type { LockedAccount } from '../ledger/balances.js';
import { applyRules, type StoredRule } from '../rule-matching/rule-engine.js';
import { TransactionType } from '../transactions/transaction.entity.js';
import type { TransactionService } from '../transactions/transaction.service.js';
import type { TransactionSpec } from '../transactions/transaction-spec.js';
import type { ImportedTransaction } from '../transactions/transaction-store.js';
import { parseImport } from './parsing/parse-import.js';
import type { ParseOptions, ParsedRow, RefusedRow } from './parsing/parsed-row.js';
import { similarText } from './similar-text.js';

/** Rows read, checked and written per statement. */
const BATCH = 500;
/** How far apart in days a row and the transaction it duplicates may be dated (banks post late). */
const SIMILAR_DAYS = 3;
/** Duplicates and refusals listed in full (all are counted). */
export const MAX_LISTED = 1_000;

/** A row as it would be (or was) created: after the user's rules. */
export interface PlannedRow {
  line: number;
  spec: TransactionSpec;
  bankId: string | null;
}

export interface DuplicateRow extends PlannedRow {
  /** BANK_ID: the account already has a row with the bank's id; SIMILAR: same amount and type, near date, similar text. */
  reason: 'BANK_ID' | 'SIMILAR';
  /** The transaction it duplicates; null when it repeats a bank id of an earlier line of the same file. */
  existingId: string | null;
}

/** What reading a file into an account found and did. */
export interface ImportOutcome {
  /** Records read: rows and refused ones. */
  rowCount: number;
  created: number;
  /** The first rows created, as many as asked for (a preview's sample). */
  sample: PlannedRow[];
  duplicates: DuplicateRow[];
  duplicateCount: number;
  refused: RefusedRow[];
  refusedCount: number;
  /** The expenses created, one per (date, category): what budget alerts evaluate. */
  spending: SpendingChange[];
}

export interface ImportRunPlan {
  userId: string;
  importId: string;
  /** The target account, locked by the caller; its balance is kept current as batches land. */
  locked: Map<string, LockedAccount>;
  accountId: string;
  options: ParseOptions;
  rules: StoredRule[];
  /** Lines to create although they look like an existing transaction (never over a bank id). */
  keepLines: ReadonlySet<number>;
  maxRows: number;
  sampleSize: number;
}

/**
 * Reads the file as a stream into the account, inside the caller's database transaction: each
 * batch of parsed rows is checked against the ledger for duplicates (the bank's id, then similar
 * rows), given the user's rules and created through TransactionService.createImported in one
 * statement. Memory holds one batch, the listed duplicates and refusals, and the existing rows
 * already matched. Rows created earlier in the same import are visible to later batches' bank-id
 * check (same transaction), so a file repeating a bank id creates it once.
 */
export async function runImport(
  em: EntityManager,
  transactions: TransactionService,
  source: AsyncIterable<Buffer | string>,
  plan: ImportRunPlan,
): Promise<ImportOutcome> {
  const outcome: ImportOutcome = {
    rowCount: 0,
    created: 0,
    sample: [],
    duplicates: [],
    duplicateCount: 0,
    refused: [],
    refusedCount: 0,
    spending: [],
  };
  const spending = new Map<string, SpendingChange>();
  const matched = new Set<string>();
  let batch: ParsedRow[] = [];

  const refuse = (refused: RefusedRow) => {
    outcome.refusedCount++;
    if (outcome.refused.length < MAX_LISTED) outcome.refused.push(refused);
  };
  const flush = async () => {
    const planned = batch.flatMap((row) => {
      const spec = specOfRow(row, plan);
      if (!spec) {
        refuse({ line: row.line, column: 'amount', reason: 'The amount is 0' });
        return [];
      }
      return [{ line: row.line, spec, bankId: row.bankId }];
    });
    batch = [];
    const fresh: PlannedRow[] = [];
    for (const [row, duplicate] of await findDuplicates(em, plan, planned, matched)) {
      if (duplicate) {
        outcome.duplicateCount++;
        if (outcome.duplicates.length < MAX_LISTED) outcome.duplicates.push({ ...row, ...duplicate });
      } else fresh.push(row);
    }
    const created: ImportedTransaction[] = fresh.map(({ spec, bankId }) => ({ spec, bankId }));
    outcome.created += await transactions.createImported(em, plan.locked, plan.importId, created);
    for (const row of fresh) {
      if (outcome.sample.length < plan.sampleSize) outcome.sample.push(row);
      if (row.spec.type === TransactionType.EXPENSE) {
        const change = { type: row.spec.type, date: row.spec.date, categoryId: row.spec.categoryId };
        spending.set(`${change.date}|${change.categoryId}`, change);
      }
    }
  };

  for await (const item of parseImport(source, plan.options)) {
    if (++outcome.rowCount > plan.maxRows) {
      throw badInput('file', `The file has more than ${plan.maxRows} rows; split it into smaller files`);
    }
    if (item.kind === 'refused') refuse(item.refused);
    else {
      batch.push(item.row);
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
  outcome.spending = [...spending.values()];
  return outcome;
}

/** The transaction a parsed row becomes, after the user's rules; null for an amount of 0. */
function specOfRow(row: ParsedRow, plan: ImportRunPlan): TransactionSpec | null {
  const cents = toCents(row.amount);
  if (cents === 0n) return null;
  const spec: TransactionSpec = {
    type: cents < 0n ? TransactionType.EXPENSE : TransactionType.INCOME,
    amount: formatCents(cents < 0n ? -cents : cents),
    date: row.date,
    accountId: plan.accountId,
    transferAccountId: null,
    categoryId: null,
    description: row.description ?? row.payee,
    payee: row.payee,
    tags: [],
  };
  return plan.rules.length > 0 ? applyRules(plan.rules, spec).result : spec;
}

interface Existing {
  id: string;
  date: string;
  amount: string;
  type: string;
  description: string | null;
  payee: string | null;
  bank_id: string | null;
}

/**
 * Each row with the existing transaction it duplicates, if any: first by the bank's id (within
 * the account; existingId null when it repeats a bank id of an earlier line of the same file),
 * then, unless the user kept the line, a transaction of the account with the same type and
 * amount within SIMILAR_DAYS and a similar text (the nearest in date), each existing one matching
 * one row at most (`matched`). A row with a bank id only matches, as similar, a transaction
 * without one (one entered by hand, or imported from a file without ids).
 */
async function findDuplicates(
  em: EntityManager,
  plan: ImportRunPlan,
  rows: PlannedRow[],
  matched: Set<string>,
): Promise<[PlannedRow, Pick<DuplicateRow, 'reason' | 'existingId'> | null][]> {
  if (rows.length === 0) return [];
  const bankIds = [...new Set(rows.flatMap((row) => (row.bankId ? [row.bankId] : [])))];
  const byBankId = new Map<string, string | null>();
  if (bankIds.length > 0) {
    const params = new SqlParams('question');
    const found = await em.execute<{ id: string; bank_id: string; import_id: string | null }[]>(
      `select id, bank_id, import_id from transactions
       where account_id = ${params.add(plan.accountId)} and bank_id = any(${params.array(bankIds, 'text')})`,
      params.values,
    );
    for (const row of found) byBankId.set(row.bank_id, row.import_id === plan.importId ? null : row.id);
  }
  const candidates = await similarCandidates(em, plan, rows);
  const seenInBatch = new Set<string>();
  return rows.map((row) => {
    if (row.bankId) {
      if (byBankId.has(row.bankId))
        return [row, { reason: 'BANK_ID', existingId: byBankId.get(row.bankId)! }];
      if (seenInBatch.has(row.bankId)) return [row, { reason: 'BANK_ID', existingId: null }];
      seenInBatch.add(row.bankId);
    }
    if (plan.keepLines.has(row.line)) return [row, null];
    const match = nearestSimilar(row, candidates, matched);
    if (!match) return [row, null];
    matched.add(match.id);
    return [row, { reason: 'SIMILAR', existingId: match.id }];
  });
}

/** Candidates by type and amount in cents. */
type CandidateIndex = Map<string, Existing[]>;
const candidateKey = (type: string, amount: string): string => `${type}|${toCents(amount)}`;

/**
 * The account's transactions that could be similar to one of `rows`: the same amount and type,
 * dated within SIMILAR_DAYS of the row, not of this import (and without a bank id when the row
 * has one), the nearest in date first. Looked up per distinct (date, amount, type) in one
 * statement, through the (user, date) index, and at most 2 × (rows asking) + 8 each: the work
 * follows the rows, never the length of the history or how many look alike in it.
 */
async function similarCandidates(
  em: EntityManager,
  plan: ImportRunPlan,
  rows: PlannedRow[],
): Promise<CandidateIndex> {
  const asks = new Map<
    string,
    { date: string; amount: string; type: string; banked: number; rows: number }
  >();
  for (const row of rows) {
    const banked = row.bankId ? 1 : 0;
    const key = `${row.spec.date}|${candidateKey(row.spec.type, row.spec.amount)}|${banked}`;
    const ask = asks.get(key) ?? {
      date: row.spec.date,
      amount: row.spec.amount,
      type: row.spec.type,
      banked,
      rows: 0,
    };
    ask.rows++;
    asks.set(key, ask);
  }
  const list = [...asks.values()];
  const params = new SqlParams('question');
  // Only the (user, date) index may serve the lookup: the account's or the amount's would read
  // the account's whole history for every row (the planner cannot see the rows this same import
  // has just written, so it takes them for few), hence `account_id::text` and `amount + 0`.
  const found = await em.execute<Existing[]>(
    `select distinct c.* from unnest(
       ${params.simpleArray(
         list.map((ask) => ask.date),
         'date',
       )},
       ${params.simpleArray(
         list.map((ask) => ask.amount),
         'numeric',
       )},
       ${params.simpleArray(
         list.map((ask) => ask.type),
         'text',
       )},
       ${params.simpleArray(
         list.map((ask) => ask.banked),
         'int',
       )},
       ${params.simpleArray(
         list.map((ask) => 2 * ask.rows + 8),
         'int',
       )}
     ) as r(date, amount, type, banked, cap)
     cross join lateral (
       select t.id, t.date::text as date, t.amount::text as amount, t.type, t.description, t.payee, t.bank_id
        from transactions t
       where t.user_id = ${params.add(plan.userId)}
         and t.date between r.date - ${SIMILAR_DAYS} and r.date + ${SIMILAR_DAYS}
         and t.account_id::text = ${params.add(plan.accountId)} and t.amount + 0 = r.amount and t.type::text = r.type
         and (r.banked = 0 or t.bank_id is null)
         and t.import_id is distinct from ${params.add(plan.importId)}::uuid
       order by abs(t.date - r.date), t.id
       limit r.cap
     ) c`,
    params.values,
  );
  const index: CandidateIndex = new Map();
  for (const candidate of found) {
    const key = candidateKey(candidate.type, candidate.amount);
    const same = index.get(key);
    if (same) same.push(candidate);
    else index.set(key, [candidate]);
  }
  return index;
}

const dayDistance = (a: string, b: string): number => Math.abs(Date.parse(a) - Date.parse(b)) / 86_400_000;
const textOf = (row: { payee: string | null; description: string | null }): string =>
  [row.payee, row.description].filter(Boolean).join(' ');

/** The nearest unmatched candidate of the row's type and amount with a similar text (compared last: it costs most). */
function nearestSimilar(
  row: PlannedRow,
  candidates: CandidateIndex,
  matched: Set<string>,
): Existing | undefined {
  const near = (candidates.get(candidateKey(row.spec.type, row.spec.amount)) ?? [])
    .filter((candidate) => !matched.has(candidate.id) && !(row.bankId && candidate.bank_id))
    .map((candidate) => ({ candidate, distance: dayDistance(candidate.date, row.spec.date) }))
    .filter(({ distance }) => distance <= SIMILAR_DAYS)
    .sort((a, b) => a.distance - b.distance);
  const text = textOf(row.spec);
  return near.find(({ candidate }) => similarText(text, textOf(candidate)))?.candidate;
}
