import type { Response } from 'express';
import type { AppServices, Context } from '../../context.js';
import type { ContextRoute } from '../../http/express-app.js';
import { AppError, ErrorCode } from '../../errors/app-error.js';
import { sendAppError, sendHttpError } from '../../errors/http-error.js';
import { publishTransactionChange } from '../transactions/transaction-changes.js';
import { UserService } from '../users/user.service.js';
import { importServiceFor, importSlots } from './import-api.js';
import { parseImportParams, type ImportParams } from './import-params.js';
import { spoolUpload, UploadTooLarge, type SpooledUpload } from './upload-spool.js';

/**
 * POST /import?accountId=…&format=CSV|OFX|QIF&… (options as in import-params.ts) with the file as
 * the raw body, for files larger than a mutation takes: the body is received into a temporary
 * file first (upload-spool.ts), then read as a stream in batches, so memory does not grow with
 * the file. Answers `{ import: {…} }`, or with preview=true `{ preview: {…} }`, or the errors
 * shape of GraphQL. At most IMPORTS_PER_USER at once per user (with previewImport and commitImport).
 */
export function importFile(app: AppServices): ContextRoute {
  return {
    method: 'post',
    path: '/import',
    async handle(context, req, res) {
      const user = context.user;
      if (!user) return sendHttpError(res, ErrorCode.UNAUTHENTICATED, 'A valid access token is required');
      const params = parseImportParams(req.query as Record<string, unknown>);
      if (!params.ok)
        return sendHttpError(res, ErrorCode.BAD_USER_INPUT, params.message, { field: params.field });
      const declared = Number(req.headers['content-length']);
      if (declared > app.config.importUploadMaxBytes) return tooLarge(res, app);

      const release = importSlots(app).take(user.id);
      if (!release) {
        app.metrics.rateLimitRejections.inc({ limiter: 'import_slots' });
        return sendHttpError(
          res,
          ErrorCode.RATE_LIMITED,
          'You already have an import running; retry when it has finished',
          {
            retryAfter: 5,
          },
        );
      }
      let upload: SpooledUpload | undefined;
      try {
        // A token outliving its user is no sign-in, as in GraphQL.
        await new UserService(context.em).get(user.id);
        upload = await spoolUpload(req, app.config.importUploadMaxBytes);
        await runImportRequest(context, res, user.id, params.value, upload);
      } catch (error) {
        if (error instanceof UploadTooLarge) return tooLarge(res, app);
        if (error instanceof AppError) return sendAppError(res, error);
        // A client that went away mid-upload: nothing was written, nobody to answer.
        if (req.destroyed) return void req.log.debug({ err: error }, 'import upload abandoned');
        req.log.error({ err: error }, 'import failed');
        if (!res.headersSent) sendHttpError(res, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
      } finally {
        release();
        await upload?.discard();
      }
    },
  };
}

async function runImportRequest(
  ctx: Context,
  res: Response,
  userId: string,
  params: ImportParams,
  upload: SpooledUpload,
): Promise<void> {
  const user = ctx.user!;
  const service = importServiceFor(ctx, user);
  if (params.preview) {
    const outcome = await service.preview(params.request, upload.source, 0);
    res.status(200).json({
      preview: {
        accountId: params.request.accountId,
        rowCount: outcome.rowCount,
        newCount: outcome.created,
        duplicateCount: outcome.duplicateCount,
        refusedCount: outcome.refusedCount,
        duplicates: outcome.duplicates.map(({ line, reason, existingId, spec, bankId }) => ({
          line,
          reason,
          existingId,
          date: spec.date,
          type: spec.type,
          amount: spec.amount,
          description: spec.description,
          bankId,
        })),
        refused: outcome.refused,
      },
    });
    return;
  }
  const { record, outcome } = await service.commit(params.request, upload.source, {
    importId: params.importId,
    skipRefused: params.skipRefused,
  });
  if (outcome && outcome.created > 0) {
    publishTransactionChange(ctx.app.pubSub, ctx.log, userId, 'IMPORTED', record.id, [record.account]);
  }
  res.status(200).json({
    import: {
      id: record.id,
      accountId: record.account.id,
      fileName: record.fileName,
      format: record.format,
      createdCount: record.createdCount,
      duplicateCount: record.duplicateCount,
      refusedCount: record.refusedCount,
      createdAt: record.createdAt.toISOString(),
    },
  });
}

function tooLarge(res: Response, app: AppServices): void {
  sendHttpError(
    res,
    ErrorCode.BAD_USER_INPUT,
    `The file is larger than IMPORT_UPLOAD_MAX_BYTES (${app.config.importUploadMaxBytes} bytes)`,
    { status: 413, field: 'file' },
  );
}
