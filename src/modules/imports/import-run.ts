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
 * the account; also a bank id seen earlier in the same batch), then, unless the user kept the
 * line, a transaction of the account with the same type and amount within SIMILAR_DAYS and a
 * similar text (the nearest in date), each existing one matching one row at most (`matched`).
 * A row with a bank id only matches, as similar, a transaction without one.
 */
async function findDuplicates(
  em: EntityManager,
  plan: ImportRunPlan,
  rows: PlannedRow[],
  matched: Set<string>,
): Promise<[PlannedRow, Pick<DuplicateRow, 'reason' | 'existingId'> | null][]> {
  if (rows.length === 0) return [];
  const bankIds = [...new Set(rows.flatMap((row) => (row.bankId ? [row.bankId] : [])))];
  const byBankId = new Map<string, string>();
  if (bankIds.length > 0) {
    const params = new SqlParams('question');
    const found = await em.execute<{ id: string; bank_id: string }[]>(
      `select id, bank_id from transactions
       where account_id = ${params.add(plan.accountId)} and bank_id = any(${params.array(bankIds, 'text')})`,
      params.values,
    );
    for (const row of found) byBankId.set(row.bank_id, row.id);
  }
  const candidates = await similarCandidates(em, plan, rows);
  const seenInBatch = new Set<string>();
  return rows.map((row) => {
    if (row.bankId) {
      const existingId = byBankId.get(row.bankId);
      if (existingId) return [row, { reason: 'BANK_ID', existingId }];
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

/**
 * The account's transactions that could be similar to one of `rows`: the same amount and type,
 * dated within SIMILAR_DAYS of the row, not of this import (and without a bank id when the row
 * has one). Looked up row by row in one statement, through the (user, date) index: the work
 * follows the rows' days, never the length of the history or the spread of the file's dates.
 */
async function similarCandidates(
  em: EntityManager,
  plan: ImportRunPlan,
  rows: PlannedRow[],
): Promise<Existing[]> {
  const params = new SqlParams('question');
  return em.execute<Existing[]>(
    `select distinct t.id, t.date::text as date, t.amount::text as amount, t.type, t.description, t.payee, t.bank_id
     from unnest(${params.simpleArray(
       rows.map((row) => row.spec.date),
       'date',
     )}, ${params.simpleArray(
       rows.map((row) => row.spec.amount),
       'numeric',
     )}, ${params.simpleArray(
       rows.map((row) => row.spec.type),
       'text',
     )}, ${params.simpleArray(
       rows.map((row) => (row.bankId ? 1 : 0)),
       'int',
     )}) as r(date, amount, type, banked)
     join transactions t on t.user_id = ${params.add(plan.userId)}
       and t.date between r.date - ${SIMILAR_DAYS} and r.date + ${SIMILAR_DAYS}
       and t.account_id = ${params.add(plan.accountId)} and t.amount = r.amount and t.type::text = r.type
       and (r.banked = 0 or t.bank_id is null)
       and t.import_id is distinct from ${params.add(plan.importId)}::uuid`,
    params.values,
  );
}

const dayDistance = (a: string, b: string): number => Math.abs(Date.parse(a) - Date.parse(b)) / 86_400_000;
const textOf = (row: { payee: string | null; description: string | null }): string =>
  [row.payee, row.description].filter(Boolean).join(' ');

function nearestSimilar(row: PlannedRow, candidates: Existing[], matched: Set<string>): Existing | undefined {
  let best: Existing | undefined;
  for (const candidate of candidates) {
    if (matched.has(candidate.id) || candidate.type !== row.spec.type) continue;
    if (toCents(candidate.amount) !== toCents(row.spec.amount)) continue;
    if (row.bankId && candidate.bank_id) continue;
    const distance = dayDistance(candidate.date, row.spec.date);
    if (distance > SIMILAR_DAYS || !similarText(textOf(row.spec), textOf(candidate))) continue;
    if (!best || distance < dayDistance(best.date, row.spec.date)) best = candidate;
  }
  return best;
}
