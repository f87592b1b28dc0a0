import { GraphQLError } from 'graphql';

/** The error codes of the contract; every error a client sees carries one of these. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Why a request is UNAUTHENTICATED (`extensions.reason`), so a client knows what helps:
 * TOKEN_EXPIRED — refresh and retry; TOKEN_MISSING, TOKEN_INVALID — sign in (TOKEN_INVALID also
 * when the token's user is gone); BAD_CREDENTIALS — wrong email or password; REFRESH_REVOKED —
 * the refresh token is spent, revoked or expired: sign in again, do not retry.
 */
export type AuthFailureReason =
  'TOKEN_MISSING' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'BAD_CREDENTIALS' | 'REFRESH_REVOKED';

interface AppErrorDetails {
  /** The one input field at fault, for BAD_USER_INPUT. */
  field?: string;
  /** Seconds until a retry may succeed, for RATE_LIMITED. */
  retryAfter?: number;
  /** Why, for UNAUTHENTICATED. */
  reason?: AuthFailureReason;
  /** The 1-based line of an uploaded file at fault, for BAD_USER_INPUT on a file. */
  line?: number;
  /** The column (CSV header or number) or field (OFX tag, QIF code) of that line, when one is. */
  column?: string;
}

/** The only error services throw: a code from the contract and a message safe to show. */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details: AppErrorDetails = {}) {
    super(message, { extensions: { code, ...details } });
    this.code = code;
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);

export const badInput = (field: string, message: string): AppError =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { field });

export const conflict = (message: string): AppError => new AppError(ErrorCode.CONFLICT, message);

export const unauthenticated = (reason: AuthFailureReason, message = 'Not authenticated'): AppError =>
  new AppError(ErrorCode.UNAUTHENTICATED, message, { reason });

export const rateLimited = (retryAfter: number): AppError =>
  new AppError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfter}s`, { retryAfter });
