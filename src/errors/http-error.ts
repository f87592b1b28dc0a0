import type { Response } from 'express';
import { AppError, ErrorCode } from './app-error.js';

/** The HTTP status of each error code, for the routes outside GraphQL. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.INTERNAL_SERVER_ERROR]: 500,
};

export interface HttpErrorDetails {
  /** The one input field at fault, for BAD_USER_INPUT. */
  field?: string;
  /** Seconds until a retry may succeed, for RATE_LIMITED; also sent as Retry-After. */
  retryAfter?: number;
  /** A more precise status than the code's own, e.g. 413 for a body too large (BAD_USER_INPUT). */
  status?: number;
  /** Where in a file sent (an import) the fault is. */
  line?: number;
  column?: string;
}

/**
 * Answers with the body GraphQL errors have, `{ errors: [{ message, extensions: { code, … } }] }`,
 * so a client reads one error shape whichever route it called.
 */
export function sendHttpError(
  res: Response,
  code: ErrorCode,
  message: string,
  details: HttpErrorDetails = {},
): void {
  const { status, field, line, column } = details;
  // Retry-After takes whole seconds.
  const retryAfter =
    details.retryAfter === undefined ? undefined : Math.max(1, Math.ceil(details.retryAfter));
  if (retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
  const extensions = {
    code,
    ...(field === undefined ? {} : { field }),
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
    ...(retryAfter === undefined ? {} : { retryAfter }),
  };
  res.status(status ?? HTTP_STATUS[code]).json({ errors: [{ message, extensions }] });
}

/** sendHttpError for an AppError a service threw, with its field or retryAfter. */
export function sendAppError(res: Response, error: AppError): void {
  const { field, retryAfter, line, column } = error.extensions as HttpErrorDetails;
  sendHttpError(res, error.code, error.message, { field, retryAfter, line, column });
}
