import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { RequestHandler, Response } from 'express';
import { bearerToken } from '../../auth/access-tokens.js';
import type { AppServices } from '../../context.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import { today } from '../../money/dates.js';
import { assertOwned } from '../transactions/ownership.js';
import { parseExportParams } from './export-params.js';
import { exportRows, type ExportRow } from './export-rows.js';

const CSV_COLUMNS = [
  'date',
  'type',
  'amount',
  'currency',
  'account',
  'transfer account',
  'category',
  'description',
  'tags',
  'id',
];

/** Spreadsheets run cells starting with these as formulas; a leading ' makes them plain text. */
const FORMULA_START = /^[=+\-@\t\r]/;
const neutralize = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);

const STATUS: Record<string, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
};

function sendError(res: Response, code: ErrorCode, message: string, field?: string): void {
  res
    .status(STATUS[code] ?? 500)
    .json({ errors: [{ message, extensions: { code, ...(field ? { field } : {}) } }] });
}

/**
 * GET /export/transactions?format=csv|json&from=&to=&accountId=&categoryId=&type=&search=&tag=
 * with the same filters as the `transactions` query, streamed from a database cursor.
 */
export function exportTransactions(app: AppServices): RequestHandler {
  return async (req, res) => {
    const token = bearerToken(req.headers.authorization);
    const userId = token ? await app.accessTokens.verify(token) : undefined;
    if (!userId) return sendError(res, ErrorCode.UNAUTHENTICATED, 'A valid access token is required');
    const params = parseExportParams(req.query);
    if (!params.ok) return sendError(res, ErrorCode.BAD_USER_INPUT, params.message, params.field);
    const { format, filter } = params.value;

    const em = app.orm.em.fork();
    try {
      await assertOwned(em, userId, filter);
      await em.transactional(async (tem) => {
        const rows = Readable.from(exportRows(tem, userId, filter));
        res.status(200);
        res.setHeader(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        );
        res.setHeader('content-disposition', `attachment; filename="transactions-${today()}.${format}"`);
        res.setHeader('cache-control', 'no-store');
        if (format === 'csv') await pipeline(rows, toCsvRecords(), csvWriter(), res);
        else await pipeline(rows, toJsonArray(), res);
      });
    } catch (error) {
      if (error instanceof AppError) return sendError(res, error.code, error.message);
      req.log.error({ err: error }, 'export failed');
      // Once rows are on their way the status is sent; all that is left is to cut the response.
      if (res.headersSent) res.destroy();
      else sendError(res, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    }
  };
}

/** Rows in CSV_COLUMNS order. */
function toCsvRecords(): Transform {
  return new Transform({
    objectMode: true,
    transform(row: ExportRow, _encoding, done) {
      done(null, [
        row.date,
        row.type,
        row.amount,
        row.currency,
        row.account,
        row.transferAccount ?? '',
        row.category ?? '',
        row.description ?? '',
        row.tags.join(', '),
        row.id,
      ]);
    },
  });
}

function csvWriter(): Transform {
  return stringify({ header: true, columns: CSV_COLUMNS, cast: { string: neutralize } });
}

/** One JSON array, written row by row. */
function toJsonArray(): Transform {
  let first = true;
  return new Transform({
    writableObjectMode: true,
    transform(row: ExportRow, _encoding, done) {
      done(null, `${first ? '[' : ','}\n${JSON.stringify(row)}`);
      first = false;
    },
    flush(done) {
      done(null, first ? '[]\n' : '\n]\n');
    },
  });
}
