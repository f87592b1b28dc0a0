import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ForeignKeyConstraintViolationException,
  NotFoundError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { ValidationError } from 'class-validator';
import { ArgumentValidationError, AuthenticationError } from 'type-graphql';
import { ScalarInputError } from './scalar-input-error.js';
import { AppError, ErrorCode } from './app-error.js';

/**
 * Codes that graphql-js, Apollo and graphql-armor put on errors about the request itself
 * (syntax, unknown fields, variable coercion, limits). Their messages describe only the request.
 */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const MASKED_MESSAGE = 'Internal server error';

/** Maps any error to the contract's shape: a code, a safe message, never a stack or SQL. */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof ArgumentValidationError) {
    const failure = firstFailure(error.extensions.validationErrors as ValidationError[]);
    const message = failure ? Object.values(failure.constraints ?? {})[0] : undefined;
    return new AppError(ErrorCode.BAD_USER_INPUT, message ?? 'Invalid input', { field: failure?.property });
  }
  // The auth checker throws its own error with a reason; this is only a fallback.
  if (error instanceof AuthenticationError)
    return new AppError(ErrorCode.UNAUTHENTICATED, 'Not authenticated');
  if (error instanceof UniqueConstraintViolationException) {
    return new AppError(ErrorCode.CONFLICT, 'Already exists');
  }
  // A row still referenced (e.g. an account a concurrent write just used): the caller may retry.
  if (error instanceof ForeignKeyConstraintViolationException) {
    return new AppError(ErrorCode.CONFLICT, 'Still referenced by other data');
  }
  if (error instanceof NotFoundError) return new AppError(ErrorCode.NOT_FOUND, 'Not found');
  return undefined;
}

/**
 * True for errors that are expected and safe to show as they are: our own, and errors about the
 * request itself (no path: raised before any resolver ran), which describe only the request.
 */
export function isExpectedError(error: GraphQLError): boolean {
  const original = unwrapResolverError(error);
  if (toAppError(original)) return true;
  if (isVariableErrorLimit(error) || isApolloBadRequest(error)) return true;
  const code = error.extensions?.code;
  if (typeof code !== 'string' || !REQUEST_ERROR_CODES.has(code)) return false;
  return error.path === undefined || !hasForeignCause(error);
}

/**
 * The formatter for both transports. In production, graphql-js's "Did you mean …?" hints (field,
 * argument, type and enum value names) are removed: with introspection off they would map the schema.
 */
export function createErrorFormatter(options: { hideSuggestions: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = formatError(formatted, error);
    return options.hideSuggestions ? { ...result, message: withoutSuggestions(result.message) } : result;
  };
}

const withoutSuggestions = (message: string): string => message.replace(/\s*Did you mean .*$/s, '').trim();

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const appError = toAppError(original);
  const base = { locations: formatted.locations, path: formatted.path };
  if (appError) {
    const { code, field, retryAfter, reason, line, column } = appError.extensions as Record<string, unknown>;
    return {
      ...base,
      message: appError.message,
      extensions: definedOnly({ code, field, retryAfter, reason, line, column }),
    };
  }
  if (error instanceof GraphQLError && isExpectedError(error)) {
    // A scalar refusing an inline literal surfaces as a validation error; it is bad input all the same.
    const scalarError = error.originalError instanceof ScalarInputError ? error.originalError : undefined;
    const code =
      scalarError || isVariableErrorLimit(error)
        ? ErrorCode.BAD_USER_INPUT
        : isApolloBadRequest(error)
          ? 'BAD_REQUEST'
          : formatted.extensions?.code;
    const field =
      (scalarError?.extensions.field as string | undefined) ??
      (code === ErrorCode.BAD_USER_INPUT ? variableField(formatted.message) : undefined);
    return { ...base, message: formatted.message, extensions: definedOnly({ code, field }) };
  }
  return { ...base, message: MASKED_MESSAGE, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/**
 * The input field named by a graphql-js variable coercion message, e.g. `amount` from
 * 'Variable "$input" got invalid value "1.005" at "input.amount"; …' or `first` from
 * 'Variable "$first" got invalid value …'.
 */
function variableField(message: string): string | undefined {
  const path = /^Variable "\$[^"]+" got invalid value .*? at "([^"]+)"/.exec(message)?.[1];
  // graphql-js writes list positions as `tags[2]`: the field is `tags`.
  if (path)
    return path
      .replace(/\[\d+\]/g, '')
      .split('.')
      .pop();
  return /^Variable "\$([^"]+)" got invalid value/.exec(message)?.[1];
}

function firstFailure(errors: ValidationError[] | undefined): ValidationError | undefined {
  for (const error of errors ?? []) {
    if (error.constraints && Object.keys(error.constraints).length > 0) return error;
    const nested = firstFailure(error.children);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * graphql-js stops coercing variables after 50 errors and adds this one, without a code: it is
 * about the request's variables like the 50 before it.
 */
function isVariableErrorLimit(error: GraphQLError): boolean {
  return (
    error.path === undefined &&
    error.originalError === undefined &&
    error.message === 'Too many errors processing variables, error limit reached. Execution aborted.'
  );
}

/**
 * Apollo refuses some requests before parsing them with a bare HTTP 400 and no code: a persisted
 * query whose hash does not match its text, or an unsupported persisted query version. They are
 * about the request, and their messages say what is wrong with it.
 */
function isApolloBadRequest(error: GraphQLError): boolean {
  const http = error.extensions?.http as { status?: number } | undefined;
  return (
    error.extensions?.code === undefined &&
    error.path === undefined &&
    error.originalError === undefined &&
    http?.status === 400
  );
}

function hasForeignCause(error: GraphQLError): boolean {
  return error.originalError !== undefined && !(error.originalError instanceof GraphQLError);
}

function definedOnly(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
