import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid, NIL_UUID } from '../../db/ids.js';
import { SqlParams } from '../../db/sql-params.js';
import { badInput, notFound } from '../../errors/app-error.js';
import type { AppServices } from '../../context.js';
import type { Logger } from '../../logger.js';
import { evaluateBudgetAlerts, expensesOf, type SpendingChange } from '../alerts/alert-evaluation.js';
import { alertingBudgets } from '../alerts/alerting-budgets.js';
import { publishAlerts } from '../alerts/budget-alert.service.js';
import {
  accountsOf,
  applyToLocked,
  checkBalances,
  effectsOfChange,
  effectsOfMany,
  lockAccounts,
  type LockedAccount,
} from '../ledger/balances.js';
import { totalsDeltas, totalsOfChanges } from '../ledger/totals.js';
import {
  insertImported,
  lockWriteTargets,
  removeMany,
  removeTransaction,
  storeTransaction,
  type ImportedTransaction,
} from './transaction-store.js';
import { inRetryingTransaction } from '../../db/retrying-transaction.js';
import {
  checkIdempotencyKey,
  claimIdempotencyKey,
  hashRequest,
  recordIdempotencyResult,
} from './idempotency.js';
import type { AccountRow } from '../accounts/account-row.js';
import { applyRules } from '../rule-matching/rule-engine.js';
import { TransactionType } from './transaction.entity.js';
import type { CreateTransactionInput, UpdateTransactionInput } from './transaction.inputs.js';
import {
  TRANSACTION_COLUMNS,
  toTransactionRow,
  type TransactionColumns,
  type TransactionRow,
} from './transaction-row.js';
import { specForCreate, specForUpdate, specOf, type TransactionSpec } from './transaction-spec.js';

/** Rows undoImport deletes per statement. */
const REMOVE_PAGE = 1_000;

/** What a committed write leaves to evaluate for budget alerts. */
interface AlertCheck {
  /** The user's alert_rules_version as the write read it; null: nothing to evaluate. */
  version: string | null;
  changes: (SpendingChange | null)[];
}

/** The server's pieces a transaction write uses beside its database transaction. */
export type TransactionServices = Pick<AppServices, 'pubSub' | 'metrics'>;

/**
 * Creating, changing and deleting transactions. Each write validates, changes the row and moves
 * the balances (ledger/balances.ts) and running totals (ledger/totals.ts) in one database
 * transaction: all of it happens or none. Budget alerts are evaluated after the commit.
 */
export class TransactionService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
    /** Alerts the write created are published on its pubSub, after the commit. */
    private readonly app: TransactionServices,
    private readonly log: Logger,
  ) {}

  /** The caller's transaction as the API returns it, or NOT_FOUND. */
  async get(id: string): Promise<TransactionRow> {
    const [row] = isUuid(id)
      ? await this.em.execute<TransactionColumns[]>(
          `select ${TRANSACTION_COLUMNS} from transactions t where t.id = ? and t.user_id = ?`,
          [id, this.userId],
        )
      : [];
    if (!row) throw notFound('Transaction');
    return toTransactionRow(row);
  }

  async create(input: CreateTransactionInput, idempotencyKey?: string | null): Promise<TransactionRow> {
    const spec = specForCreate(input);
    const key = checkIdempotencyKey(idempotencyKey);
    const { row, id, alerts } = await inRetryingTransaction(this.em, async (em) => {
      if (key) {
        const earlier = await claimIdempotencyKey(em, this.userId, key, hashRequest(spec));
        if (earlier) return { row: undefined, id: earlier, alerts: null };
      }
      // The hash above is of the input as sent: the user's rules (applied in write) may change
      // between a request and its replay, which still answers the first result.
      const written = await this.write(em, null, spec, { rules: true });
      if (key) await recordIdempotencyResult(em, this.userId, key, written.row.id);
      return { ...written, id: written.row.id };
    });
    await this.alertOn(alerts);
    // The row as written, with its account after the write; a replayed key reads the first one.
    return row ?? this.get(id);
  }

  /**
   * create's write (rules, checks, row, balances, totals) inside the caller's database
   * transaction `em`, so it commits or rolls back with what the caller writes beside it (a
   * recurring occurrence's key). Returns the row and what to run once that transaction has
   * committed: the budget alerts, evaluated and published as for create.
   */
  async createWithin(
    em: EntityManager,
    input: CreateTransactionInput,
  ): Promise<{ row: TransactionRow; afterCommit: () => Promise<void> }> {
    const { row, alerts } = await this.write(em, null, specForCreate(input), { rules: true });
    return { row, afterCommit: () => this.alertOn(alerts) };
  }

  async update(id: string, input: UpdateTransactionInput): Promise<TransactionRow> {
    if (!isUuid(id)) throw notFound('Transaction');
    const { row, alerts } = await inRetryingTransaction(this.em, async (em) => {
      const before = specOf(await this.lockRow(em, id));
      return this.write(em, { id, before }, specForUpdate(before, input));
    });
    await this.alertOn(alerts);
    return row;
  }

  /**
   * Deletes the caller's transaction; returns the accounts whose balances moved, as they are
   * after. Less spending reaches no new threshold, so a delete evaluates no alert.
   */
  async delete(id: string): Promise<AccountRow[]> {
    if (!isUuid(id)) throw notFound('Transaction');
    return inRetryingTransaction(this.em, async (em) => {
      const before = specOf(await this.lockRow(em, id));
      const accounts = await lockAccounts(em, this.userId, accountsOf(before));
      const effects = effectsOfChange(before, null);
      checkBalances(accounts, effects);
      return removeTransaction(em, this.userId, id, effects, totalsDeltas(before, null));
    });
  }

  /**
   * Rewrites the caller's transactions `ids` (at most a batch: they are locked together) in one
   * database transaction, each through the writer path of update: `change` is given each row,
   * locked, and answers its new spec, or null to leave it. All of them change or none. Returns
   * each changed row before and after; alerts are evaluated after the commit, as for update.
   */
  async rewrite(
    ids: string[],
    change: (row: TransactionRow) => TransactionSpec | null,
  ): Promise<{ before: TransactionRow; after: TransactionRow }[]> {
    const unique = [...new Set(ids)].filter(isUuid).sort();
    if (unique.length === 0) return [];
    const { changed, alerts } = await inRetryingTransaction(this.em, async (em) => {
      const params = new SqlParams('question');
      const rows = await em.execute<TransactionColumns[]>(
        `select ${TRANSACTION_COLUMNS} from transactions t
         where t.user_id = ${params.add(this.userId)} and t.id = any(${params.simpleArray(unique, 'uuid')})
         order by t.id for update`,
        params.values,
      );
      const changed: { before: TransactionRow; after: TransactionRow }[] = [];
      const alerts: AlertCheck[] = [];
      for (const before of rows.map((row) => toTransactionRow(row))) {
        const spec = change(before);
        if (!spec) continue;
        const written = await this.write(em, { id: before.id, before: specOf(before) }, spec);
        changed.push({ before, after: written.row });
        alerts.push(written.alerts);
      }
      return { changed, alerts };
    });
    for (const check of alerts) await this.alertOn(check);
    return changed;
  }

  /**
   * Inside the caller's database transaction `em`: creates the rows of import `importId`, as one
   * statement that also moves the balances and totals by their sums. The caller has locked the
   * accounts (`locked`, whose balances are kept current here across batches) and checked them
   * and the categories; this checks the balances' range. Alerts are the caller's to evaluate
   * after its commit (alertOnImported).
   */
  async createImported(
    em: EntityManager,
    locked: Map<string, LockedAccount>,
    importId: string,
    rows: ImportedTransaction[],
  ): Promise<number> {
    const specs = rows.map((row) => row.spec);
    const effects = effectsOfMany(specs, 1);
    checkBalances(locked, effects);
    const totals = totalsOfChanges(specs.map((entry) => ({ entry, sign: 1 })));
    const created = await insertImported(em, this.userId, importId, rows, effects, totals);
    applyToLocked(locked, effects);
    return created;
  }

  /**
   * Inside the caller's database transaction `em`: deletes every transaction import `importId`
   * created (as they are now: edited ones too), a page at a time, each page one statement that
   * moves the balances and totals back. Returns how many and the accounts whose balances moved.
   */
  async removeImported(
    em: EntityManager,
    importId: string,
  ): Promise<{ removed: number; accountIds: string[] }> {
    let removed = 0;
    const accountIds = new Set<string>();
    let after = NIL_UUID;
    for (;;) {
      const page = await em.execute<TransactionColumns[]>(
        `select ${TRANSACTION_COLUMNS} from transactions t
         where t.user_id = ? and t.import_id = ? and t.id > ? order by t.id limit ? for update`,
        [this.userId, importId, after, REMOVE_PAGE],
      );
      if (page.length === 0) break;
      const ids = page.map((row) => row.id);
      const rows = page.map((row) => specOf(toTransactionRow(row)));
      after = ids.at(-1)!;
      const accounts = await lockAccounts(em, this.userId, accountsOf(...rows));
      const effects = effectsOfMany(rows, -1);
      checkBalances(accounts, effects);
      const totals = totalsOfChanges(rows.map((entry) => ({ entry, sign: -1 })));
      removed += await removeMany(em, this.userId, ids, effects, totals);
      for (const id of accounts.keys()) accountIds.add(id);
    }
    return { removed, accountIds: [...accountIds].sort() };
  }

  /** Evaluates, after an import committed, the budget alerts its expenses may have reached. */
  async alertOnImported(changes: SpendingChange[]): Promise<void> {
    await this.evaluateAlerts(changes);
  }

  /** Evaluates the alerts a committed write may have reached, when it changed an expense. */
  private async alertOn(check: AlertCheck | null): Promise<void> {
    if (check?.version != null) await this.evaluateAlerts(check.changes, check.version);
  }

  /**
   * Stores and publishes the alerts reached by committed `changes`, against the user's alerting
   * budgets as this server keeps them (loaded again when older than `version`, or always when no
   * version is known). Concurrent writes of the user share an evaluation (alerts/evaluation-batches.ts).
   * The write stands either way: if this fails it is logged, and the next expense in the period
   * reaches the same thresholds.
   */
  private async evaluateAlerts(changes: (SpendingChange | null)[], version?: string): Promise<void> {
    const expenses = expensesOf(changes);
    if (expenses.length === 0) return;
    const server = alertingBudgets(this.app);
    await server.evaluations.join(this.userId, expenses, version, async (batch, batchVersion) => {
      try {
        const known = await server.of(this.em, this.userId, batchVersion);
        const alerts = await evaluateBudgetAlerts(this.em, this.userId, known, batch);
        publishAlerts(this.app.pubSub, this.app.metrics, this.userId, alerts);
      } catch (error) {
        this.log.warn({ err: error }, 'budget alert evaluation failed after a committed write');
      }
    });
  }

  /** The caller's transaction, row-locked so concurrent changes to it queue up. */
  private async lockRow(em: EntityManager, id: string): Promise<TransactionRow> {
    const [row] = await em.execute<TransactionColumns[]>(
      `select ${TRANSACTION_COLUMNS} from transactions t where t.id = ? and t.user_id = ? for update`,
      [id, this.userId],
    );
    if (!row) throw notFound('Transaction');
    return toTransactionRow(row);
  }

  /**
   * Stores `spec` (as a new row, or over `existing`) and moves the balances and totals by the
   * difference: one statement locks and reads what the checks need (and the version of the
   * budgets that may alert), one changes the row, the balances and the totals. Returns the
   * stored row and what to evaluate for alerts once committed.
   *
   * With `rules` (a create), the first statement also reads the user's enabled rules, and they
   * fill in the input before it is checked: a category where there is none, tags, a description
   * (rule-matching/rule-engine.ts). A user without rules pays nothing more; a rule that sets the
   * category costs one more read of the category's kind.
   */
  private async write(
    em: EntityManager,
    existing: { id: string; before: TransactionSpec } | null,
    given: TransactionSpec,
    options: { rules?: boolean } = {},
  ): Promise<{ row: TransactionRow; alerts: AlertCheck }> {
    const before = existing?.before ?? null;
    let spec = given;
    for (const id of accountsOf(spec)) if (!isUuid(id)) throw notFound('Account');
    if (spec.categoryId !== null && !isUuid(spec.categoryId)) throw notFound('Category');
    let changes = [before, spec];
    let targets = await lockWriteTargets(
      em,
      this.userId,
      accountsOf(before, spec),
      spec.categoryId,
      changes,
      options.rules,
    );
    if (targets.rules.length > 0 && targets.accounts.size > 0) {
      spec = applyRules(targets.rules, spec).result;
      if (spec.categoryId !== given.categoryId) {
        changes = [before, spec];
        targets = await lockWriteTargets(em, this.userId, accountsOf(before, spec), spec.categoryId, changes);
      }
    }
    checkAccounts(spec, targets.accounts, before);
    checkCategory(spec, targets.categoryKind);
    const effects = effectsOfChange(before, spec);
    checkBalances(targets.accounts, effects);
    const totals = totalsDeltas(before, spec);
    const row = await storeTransaction(em, this.userId, existing?.id ?? null, spec, effects, totals);
    return { row, alerts: { version: targets.alertRulesVersion, changes } };
  }
}

/** A categorized write needs the caller's category (else NOT_FOUND) of the transaction's kind. */
function checkCategory(spec: TransactionSpec, kind: string | null): void {
  if (spec.categoryId === null) return;
  if (kind === null) throw notFound('Category');
  if (kind !== (spec.type as string)) {
    throw badInput('categoryId', `A ${spec.type} transaction needs an ${spec.type} category (or none)`);
  }
}

/**
 * The accounts must be the caller's (else NOT_FOUND), a transfer's two of one currency, and an
 * archived account takes no new transactions (one already on it may still be edited).
 */
function checkAccounts(
  spec: TransactionSpec,
  accounts: Map<string, LockedAccount>,
  before: TransactionSpec | null,
) {
  const previous = new Set(before ? accountsOf(before) : []);
  const sides = [
    ['accountId', spec.accountId],
    ['transferAccountId', spec.transferAccountId],
  ] as const;
  for (const [field, id] of sides) {
    if (id === null) continue;
    const account = accounts.get(id);
    if (!account) throw notFound('Account');
    if (account.archived && !previous.has(id)) throw badInput(field, 'The account is archived');
  }
  if (spec.type === TransactionType.TRANSFER) {
    const from = accounts.get(spec.accountId)!;
    const to = accounts.get(spec.transferAccountId!)!;
    if (from.currency !== to.currency) {
      throw badInput('transferAccountId', 'A transfer needs two accounts of the same currency');
    }
  }
}
