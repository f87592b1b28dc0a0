// The parts of an import request the GraphQL mutations and POST /import share.
import { createHash } from 'node:crypto';
import type { AppServices, AuthUser, Context } from '../../context.js';
import { SqlParams } from '../../db/sql-params.js';
import { badInput, rateLimited } from '../../errors/app-error.js';
import { UserSlots } from '../../limits/user-slots.js';
import { TransactionService } from '../transactions/transaction.service.js';
import {
  TRANSACTION_COLUMNS,
  toTransactionRow,
  type TransactionColumns,
  type TransactionRow,
} from '../transactions/transaction-row.js';
import type { ImportOptionsInput } from './import.inputs.js';
import type { ImportOutcome, PlannedRow } from './import-run.js';
import { DuplicateReason, type ImportPreview, type ImportRow } from './import-preview.type.js';
import { ImportService, type ImportRequest, type ImportSource } from './import.service.js';

/** Chunks a file sent as a string is read in, as a stream would bring it. */
const CHUNK = 64 * 1024;
export const importServiceFor = (ctx: Context, user: AuthUser): ImportService =>
  new ImportService(ctx.em, user.id, new TransactionService(ctx.em, user.id, ctx.app, ctx.log), {
    maxRows: ctx.app.config.importMaxRows,
  });

const slots = new WeakMap<AppServices, UserSlots>();

/** The server's count of running imports and previews per user (IMPORTS_PER_USER). */
export function importSlots(app: AppServices): UserSlots {
  let found = slots.get(app);
  if (!found) slots.set(app, (found = new UserSlots(app.config.importsPerUser)));
  return found;
}

/** Runs `work` in one of the user's import slots (RATE_LIMITED when none is free), freed after. */
export async function inImportSlot<T>(app: AppServices, userId: string, work: () => Promise<T>): Promise<T> {
  const release = importSlots(app).take(userId);
  if (!release) throw rateLimited(1);
  try {
    return await work();
  } finally {
    release();
  }
}

export function importRequestOf(input: ImportOptionsInput & { keepLines?: number[] | null }): ImportRequest {
  return {
    accountId: input.accountId,
    fileName: input.fileName?.trim() || null,
    options: {
      format: input.format,
      mapping: input.mapping ?? null,
      hasHeader: input.hasHeader ?? null,
      delimiter: input.delimiter ?? null,
      dateFormat: input.dateFormat ?? null,
      decimalSeparator: input.decimalSeparator ?? null,
      invertSigns: input.invertSigns ?? null,
    },
    keepLines: input.keepLines ?? [],
  };
}

/** A file sent as a GraphQL string: refused above IMPORT_MAX_BYTES, read as one chunk. */
export function stringSource(content: string, maxBytes: number): ImportSource {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > maxBytes) {
    throw badInput(
      'content',
      `The file is ${bytes} bytes, more than the ${maxBytes} a mutation takes; send it to POST /import instead`,
    );
  }
  return {
    sha256: createHash('sha256').update(content, 'utf8').digest('hex'),
    // In chunks, as a stream would bring them: the parsers see one kind of input.
    async *open() {
      const bytes = Buffer.from(content, 'utf8');
      for (let start = 0; start < bytes.length; start += CHUNK) yield bytes.subarray(start, start + CHUNK);
    },
  };
}

const rowOf = ({ line, spec, bankId }: PlannedRow): ImportRow => ({
  line,
  date: spec.date,
  type: spec.type,
  amount: spec.amount,
  description: spec.description,
  payee: spec.payee,
  bankId,
  tags: spec.tags,
  categoryId: spec.categoryId,
});

/** The preview as the API returns it, with the transactions the duplicates match read in one statement. */
export async function previewOf(
  ctx: Context,
  userId: string,
  accountId: string,
  outcome: ImportOutcome,
): Promise<ImportPreview> {
  const ids = [...new Set(outcome.duplicates.flatMap((duplicate) => duplicate.existingId ?? []))];
  const existing = new Map<string, TransactionRow>();
  if (ids.length > 0) {
    const params = new SqlParams('question');
    const rows = await ctx.em.execute<TransactionColumns[]>(
      `select ${TRANSACTION_COLUMNS} from transactions t
       where t.user_id = ${params.add(userId)} and t.id = any(${params.simpleArray(ids, 'uuid')})`,
      params.values,
    );
    for (const row of rows) existing.set(row.id, toTransactionRow(row));
  }
  return {
    accountId,
    rowCount: outcome.rowCount,
    newCount: outcome.created,
    duplicateCount: outcome.duplicateCount,
    refusedCount: outcome.refusedCount,
    rows: outcome.sample.map(rowOf),
    duplicates: outcome.duplicates.map((duplicate) => ({
      row: rowOf(duplicate),
      reason: DuplicateReason[duplicate.reason],
      existing: duplicate.existingId ? (existing.get(duplicate.existingId) ?? null) : null,
    })),
    refused: outcome.refused,
  };
}
