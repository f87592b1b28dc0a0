import { z } from 'zod';
import { isCalendarDate } from '../../calendar/dates.js';
import { DECIMAL_INPUT, formatMoney } from '../../money/money.js';
import { TransactionType } from '../transactions/transaction.entity.js';
import type { TransactionFilter } from '../transactions/transaction.inputs.js';

/** A query parameter given once or repeated (?tag=a&tag=b). */
const list = <T extends z.ZodTypeAny>(item: T) =>
  z.union([item, z.array(item).max(100)]).transform((value) => (Array.isArray(value) ? value : [value]));

const date = z.string().refine(isCalendarDate, 'must be a date YYYY-MM-DD');
const amount = z.string().regex(DECIMAL_INPUT, 'must be an amount such as 12.50').transform(formatMoney);
// A malformed id can name nothing: it is let through and answered NOT_FOUND like an unknown one.
const id = z.string().max(100);

const exportParams = z
  .object({
    format: z.enum(['csv', 'json']).default('csv'),
    from: date.optional(),
    to: date.optional(),
    accountId: list(id).optional(),
    categoryId: list(id).optional(),
    type: list(z.nativeEnum(TransactionType)).optional(),
    minAmount: amount.optional(),
    maxAmount: amount.optional(),
    search: z
      .string()
      .min(1)
      .max(200)
      .refine((s) => !s.includes('\u0000'), 'must not contain NUL')
      .optional(),
    tag: list(z.string().min(1).max(50)).optional(),
  })
  .strict();

export interface ExportRequest {
  format: 'csv' | 'json';
  filter: TransactionFilter;
}

export type ParsedExport =
  { ok: true; value: ExportRequest } | { ok: false; message: string; field?: string };

/** The same filters as the `transactions` query, from query parameters. */
export function parseExportParams(query: unknown): ParsedExport {
  const parsed = exportParams.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : String(issue.path[0] ?? '');
    const message =
      issue.code === 'unrecognized_keys'
        ? `Unknown parameter ${field}`
        : `Parameter ${field} ${issue.message}`;
    return { ok: false, message, field };
  }
  const p = parsed.data;
  return {
    ok: true,
    value: {
      format: p.format,
      filter: {
        from: p.from,
        to: p.to,
        accountIds: p.accountId,
        categoryIds: p.categoryId,
        types: p.type,
        minAmount: p.minAmount,
        maxAmount: p.maxAmount,
        search: p.search,
        tags: p.tag,
      },
    },
  };
}
