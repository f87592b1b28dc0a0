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

interface AppErrorDetails {
  /** The one input field at fault, for BAD_USER_INPUT. */
  field?: string;
  /** Seconds until a retry may succeed, for RATE_LIMITED. */
  retryAfter?: number;
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

export const unauthenticated = (message = 'Not authenticated'): AppError =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);

export const rateLimited = (retryAfter: number): AppError =>
  new AppError(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfter}s`, { retryAfter });
