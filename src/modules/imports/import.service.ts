import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalId, isUuid } from '../../db/ids.js';
import { findOwned } from '../../db/find-owned.js';
import { inRetryingTransaction } from '../../db/retrying-transaction.js';
import { AppError, badInput, conflict, ErrorCode, notFound } from '../../errors/app-error.js';
import { lockAccounts, type LockedAccount } from '../ledger/balances.js';
import { enabledRules } from '../rule-matching/enabled-rules.js';
import type { TransactionService } from '../transactions/transaction.service.js';
import { ImportRecord } from './import.entity.js';
import { runImport, type ImportOutcome } from './import-run.js';
import { checkParseOptions } from './parsing/parse-import.js';
import type { ParseOptions } from './parsing/parsed-row.js';

/** A file to import: readable again from the start (a retried database transaction reads it anew). */
export interface ImportSource {
  open(): AsyncIterable<Buffer | string>;
  /** SHA-256 of the bytes, hex: with the options, what an importId is bound to. */
  sha256: string;
}

/** What the user asked for, apart from the file. */
export interface ImportRequest {
  accountId: string;
  fileName: string | null;
  options: ParseOptions;
  /** Lines to create although similar to an existing transaction. */
  keepLines: number[];
}

export interface ImportSettings {
  maxRows: number;
}

/** Thrown inside a preview's database transaction so that everything it wrote is rolled back. */
class PreviewDone extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('preview done');
  }
}

/**
 * Bank-file imports into one of the caller's accounts. A preview and a commit run the very same
 * work (import-run.ts) in a database transaction holding the account's lock: the preview rolls it
 * back, so what it shows is exactly what a commit of the same file would do at that moment.
 */
export class ImportService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
    private readonly transactions: TransactionService,
    private readonly settings: ImportSettings,
  ) {}

  list(first: number): Promise<ImportRecord[]> {
    return this.em.find(
      ImportRecord,
      { user: this.userId },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first },
    );
  }

  get(id: string): Promise<ImportRecord> {
    return findOwned(this.em, ImportRecord, id, this.userId, 'Import');
  }

  /** What committing the file would create, skip and refuse; nothing is kept. */
  async preview(request: ImportRequest, source: ImportSource, sampleSize: number): Promise<ImportOutcome> {
    checkParseOptions(request.options);
    const accountId = this.checkedAccountId(request.accountId);
    try {
      await inRetryingTransaction(this.em, async (em) => {
        const locked = await this.lockAccount(em, accountId);
        const importId = randomUUID();
        // The rows it creates name their import: a record to name, rolled back with them.
        await this.claim(em, importId, request, accountId, 'preview');
        const outcome = await this.run(em, request, locked, accountId, importId, source, sampleSize);
        throw new PreviewDone(outcome);
      });
    } catch (error) {
      if (error instanceof PreviewDone) return error.outcome;
      throw error;
    }
    throw new Error('unreachable: a preview always rolls back');
  }

  /**
   * Creates the file's new rows in one database transaction, all or nothing. With refused rows
   * and without `skipRefused` nothing is written: BAD_USER_INPUT names the first. With
   * `importId`, the same id again answers the first import (another file under it: CONFLICT).
   * Budget alerts are evaluated after the commit.
   */
  async commit(
    request: ImportRequest,
    source: ImportSource,
    options: { importId: string | null; skipRefused: boolean },
  ): Promise<{ record: ImportRecord; outcome: ImportOutcome | null }> {
    checkParseOptions(request.options);
    const accountId = this.checkedAccountId(request.accountId);
    if (options.importId !== null && !isUuid(options.importId)) {
      throw badInput('importId', 'importId must be a UUID');
    }
    const importId = options.importId ? canonicalId(options.importId) : randomUUID();
    const fileHash = `${source.sha256}:${hashOfOptions(request)}`;
    const done = await inRetryingTransaction(this.em, async (em) => {
      // The account first, as every write locks it: two imports into it queue here, never deadlock.
      const locked = await this.lockAccount(em, accountId);
      if (!(await this.claim(em, importId, request, accountId, fileHash))) {
        return this.earlier(em, importId, accountId, fileHash);
      }
      const outcome = await this.run(em, request, locked, accountId, importId, source, 0);
      if (outcome.refusedCount > 0 && !options.skipRefused) throw refusedError(outcome);
      await em.execute(
        `update imports set created_count = ?, duplicate_count = ?, refused_count = ?, updated_at = now() where id = ?`,
        [outcome.created, outcome.duplicateCount, outcome.refusedCount, importId],
      );
      return { outcome };
    });
    if (done.outcome) await this.transactions.alertOnImported(done.outcome.spending);
    this.em.clear();
    return { record: await this.get(importId), outcome: done.outcome };
  }

  /**
   * Deletes every transaction the import created (edited ones too; balances and totals follow)
   * and marks it undone. Undoing it again changes nothing. Returns the accounts whose balances moved.
   */
  async undo(id: string): Promise<{ record: ImportRecord; accountIds: string[] }> {
    const importId = isUuid(id) ? canonicalId(id) : null;
    if (!importId) throw notFound('Import');
    const accountIds = await inRetryingTransaction(this.em, async (em) => {
      const [record] = await em.execute<{ undone: boolean }[]>(
        `select undone_at is not null as undone from imports where id = ? and user_id = ? for update`,
        [importId, this.userId],
      );
      if (!record) throw notFound('Import');
      if (record.undone) return [];
      const { accountIds } = await this.transactions.removeImported(em, importId);
      await em.execute(`update imports set undone_at = now(), updated_at = now() where id = ?`, [importId]);
      return accountIds;
    });
    this.em.clear();
    return { record: await this.get(importId), accountIds };
  }

  /** The caller's account, row-locked for the rest of the database transaction; else NOT_FOUND. */
  private async lockAccount(em: EntityManager, accountId: string): Promise<Map<string, LockedAccount>> {
    const locked = await lockAccounts(em, this.userId, [accountId]);
    if (!locked.has(accountId)) throw notFound('Account');
    return locked;
  }

  /**
   * Stores the import's record (the caller holds the account's lock), unless `importId` is taken:
   * then false.
   */
  private async claim(
    em: EntityManager,
    importId: string,
    request: ImportRequest,
    accountId: string,
    fileHash: string,
  ): Promise<boolean> {
    const claimed = await em.execute<{ id: string }[]>(
      `insert into imports (id, user_id, account_id, file_name, format, file_hash)
       values (?, ?, ?, ?, ?, ?) on conflict (id) do nothing returning id`,
      [importId, this.userId, accountId, request.fileName, request.options.format, fileHash],
    );
    return claimed.length > 0;
  }

  /** Runs the import into the locked account, which must not be archived. */
  private async run(
    em: EntityManager,
    request: ImportRequest,
    locked: Map<string, LockedAccount>,
    accountId: string,
    importId: string,
    source: ImportSource,
    sampleSize: number,
  ): Promise<ImportOutcome> {
    if (locked.get(accountId)!.archived) throw badInput('accountId', 'The account is archived');
    // The categories enabled rules set are locked before the rules are read: a category deleted
    // meanwhile is gone from what is read, and none read can be deleted until the commit.
    await em.execute(
      `select c.id from categories c where c.user_id = ? and c.id in (
         select r.set_category_id from rules r where r.user_id = ? and r.enabled) for key share of c`,
      [this.userId, this.userId],
    );
    const rules = await enabledRules(em, this.userId);
    return runImport(em, this.transactions, source.open(), {
      userId: this.userId,
      importId,
      locked,
      accountId,
      options: request.options,
      rules,
      keepLines: new Set(request.keepLines),
      maxRows: this.settings.maxRows,
      sampleSize,
    });
  }

  /** An importId already used: the same file answers its import; another file, or another user's id, is refused. */
  private async earlier(
    em: EntityManager,
    importId: string,
    accountId: string,
    fileHash: string,
  ): Promise<{ outcome: null }> {
    const [found] = await em.execute<{ account_id: string; file_hash: string }[]>(
      `select account_id, file_hash from imports where id = ? and user_id = ?`,
      [importId, this.userId],
    );
    // Taken by another user's import: ids are UUIDs the client chose, so choose another.
    if (!found) throw conflict('importId is already in use; choose another');
    if (found.account_id !== accountId || found.file_hash !== fileHash) {
      throw conflict('importId was used for another file or account; choose another');
    }
    return { outcome: null };
  }

  private checkedAccountId(accountId: string): string {
    if (!isUuid(accountId)) throw notFound('Account');
    return canonicalId(accountId);
  }
}

/** The options that change what a file means, canonical: the same file read otherwise is another import. */
function hashOfOptions(request: ImportRequest): string {
  const { format, mapping, hasHeader, delimiter, dateFormat, decimalSeparator, invertSigns } =
    request.options;
  return JSON.stringify([
    format,
    // Key by key in one order, whatever order the client sent them in.
    mapping
      ? Object.entries(mapping)
          .filter(([, column]) => column != null)
          .sort(([a], [b]) => a.localeCompare(b))
      : null,
    hasHeader ?? null,
    delimiter ?? null,
    dateFormat ?? null,
    decimalSeparator ?? null,
    invertSigns ?? null,
    [...request.keepLines].sort((a, b) => a - b),
  ]);
}

/** The commit's answer when rows were refused: the first, where it is, and what to do. */
function refusedError(outcome: ImportOutcome): AppError {
  const first = outcome.refused[0]!;
  const where = `line ${first.line}${first.column ? `, column ${first.column}` : ''}`;
  return new AppError(
    ErrorCode.BAD_USER_INPUT,
    `${where}: ${first.reason} (${outcome.refusedCount} row${outcome.refusedCount === 1 ? '' : 's'} refused; previewImport lists them; commit with skipRefused: true to import the rest)`,
    { field: 'file', line: first.line, ...(first.column ? { column: first.column } : {}) },
  );
}
