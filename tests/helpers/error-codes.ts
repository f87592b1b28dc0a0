/**
 * The error codes of the contract (extensions.code), one list for every test. BAD_REQUEST is the
 * HTTP-level refusal (a 4xx and no data at all); the others come with a GraphQL answer.
 */
export const UNAUTHENTICATED = 'UNAUTHENTICATED';
export const NOT_FOUND = 'NOT_FOUND';
export const BAD_USER_INPUT = 'BAD_USER_INPUT';
export const CONFLICT = 'CONFLICT';
export const RATE_LIMITED = 'RATE_LIMITED';
export const INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR';
export const GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED';
export const GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED';
export const BAD_REQUEST = 'BAD_REQUEST';

export type ErrorCode =
  | typeof UNAUTHENTICATED
  | typeof NOT_FOUND
  | typeof BAD_USER_INPUT
  | typeof CONFLICT
  | typeof RATE_LIMITED
  | typeof INTERNAL_SERVER_ERROR
  | typeof GRAPHQL_PARSE_FAILED
  | typeof GRAPHQL_VALIDATION_FAILED
  | typeof BAD_REQUEST;

/** The codes a GraphQL answer may carry; INTERNAL_SERVER_ERROR is never one a client should see. */
export const GRAPHQL_ERROR_CODES: readonly ErrorCode[] = [
  UNAUTHENTICATED,
  NOT_FOUND,
  BAD_USER_INPUT,
  CONFLICT,
  RATE_LIMITED,
  GRAPHQL_PARSE_FAILED,
  GRAPHQL_VALIDATION_FAILED,
];

/** Codes only for refusals at the HTTP level. */
export const HTTP_REFUSAL_CODES: readonly ErrorCode[] = [BAD_REQUEST];
