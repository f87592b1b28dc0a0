import type { Request, Response } from 'express';
import { today } from '../../calendar/dates.js';
import type { AppServices, Context } from '../../context.js';
import type { ContextRoute } from '../../http/express-app.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import { sendAppError, sendHttpError } from '../../errors/http-error.js';
import { UserSlots } from '../../limits/user-slots.js';
import { assertOwned } from '../transactions/ownership.js';
import { UserService } from '../users/user.service.js';
import { EXPORT_FORMATS } from './export-formats.js';
import { parseExportParams, type ExportRequest } from './export-params.js';
import { PAGE_SIZE, readExportPage, type PagePosition } from './export-rows.js';
import { ResponseWriter } from './response-writer.js';

/**
 * GET /export/transactions?format=csv|json&from=&to=&accountId=&categoryId=&type=&search=&tag=
 * with the same filters as the `transactions` query, read in keyset pages (export-rows.ts) and
 * written as the client takes them. At most EXPORTS_PER_USER at once per user; a client that
 * takes no data for EXPORT_WRITE_TIMEOUT is cut.
 */
export function exportTransactions(app: AppServices): ContextRoute {
  const slots = new UserSlots(app.config.exportsPerUser);
  return {
    path: '/export/transactions',
    async handle(context, req, res) {
      const userId = context.user?.id;
      if (!userId) return sendHttpError(res, ErrorCode.UNAUTHENTICATED, 'A valid access token is required');
      const params = parseExportParams(req.query);
      if (!params.ok)
        return sendHttpError(res, ErrorCode.BAD_USER_INPUT, params.message, { field: params.field });

      const release = slots.take(userId);
      if (!release) {
        app.metrics.rateLimitRejections.inc({ limiter: 'export_slots' });
        // A stalled export of theirs is cut within EXPORT_WRITE_TIMEOUT; one being read ends when
        // the download does, which nobody can tell in advance.
        return sendHttpError(
          res,
          ErrorCode.RATE_LIMITED,
          `You already have ${slots.limit} exports running; retry when one has finished`,
          { retryAfter: app.config.exportWriteTimeout },
        );
      }
      try {
        await runExport(context, req, res, userId, params.value);
      } finally {
        release();
      }
    },
  };
}

async function runExport(
  { app, em }: Context,
  req: Request,
  res: Response,
  userId: string,
  { format: formatName, filter }: ExportRequest,
): Promise<void> {
  const writer = new ResponseWriter(res, app.config.exportWriteTimeout * 1000);
  const format = EXPORT_FORMATS[formatName]();
  let rowsWritten = 0;
  let complete = false;
  try {
    // A token outliving its user is no sign-in, as in GraphQL: 401, not an empty file.
    await new UserService(em).get(userId);
    await assertOwned(em, userId, filter);
    let after: PagePosition | undefined;
    for (;;) {
      const rows = await readExportPage(em, userId, filter, after);
      if (!res.headersSent) {
        res.status(200);
        res.setHeader('content-type', format.contentType);
        res.setHeader('content-disposition', `attachment; filename="transactions-${today()}.${formatName}"`);
        res.setHeader('cache-control', 'no-store');
      }
      const last = rows.length < PAGE_SIZE;
      const text = format.page(rows) + (last ? format.end() : '');
      if (!(await writer.write(Buffer.from(text, 'utf8')))) break;
      rowsWritten += rows.length;
      if (last) {
        complete = await writer.end();
        break;
      }
      after = rows.at(-1)!;
    }
  } catch (error) {
    if (error instanceof AppError && !res.headersSent) return sendAppError(res, error);
    req.log.error({ err: error, rowsWritten }, 'export failed');
    // Once rows are on their way the status is sent: cutting the response leaves the chunked
    // body unterminated, which every HTTP client reports as an incomplete download.
    if (res.headersSent) res.destroy();
    else sendHttpError(res, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    return;
  }
  // Each export ends with one of these lines (or 'export failed' above), then frees its slot.
  if (complete) {
    req.log.debug({ rowsWritten }, 'export finished');
  } else if (writer.stalled) {
    req.log.info(
      { rowsWritten, exportWriteTimeout: app.config.exportWriteTimeout },
      'export cut: the client took no data for EXPORT_WRITE_TIMEOUT',
    );
  } else {
    // Closing the download midway is the client's right, not a fault.
    req.log.debug({ rowsWritten }, 'export cancelled by the client');
  }
}
