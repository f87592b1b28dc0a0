import type { AuthMode } from './operation.js';
import { GRAPHQL_ERROR_CODES, HTTP_REFUSAL_CODES } from '../error-codes.js';

/**
 * What every fuzzed response must satisfy, whatever the input: no server error, only the error
 * codes of the contract, no data without a valid token, and none of user B's ids in A's data.
 */

/** Operations that work without a token. */
export const PUBLIC_OPERATIONS: readonly string[] = ['register', 'login', 'refreshToken'];

export interface Reply {
  status: number;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  body?: { data?: Record<string, unknown> | null; errors?: ReplyError[] };
  text: string;
}

export interface ReplyError {
  message?: string;
  path?: (string | number)[];
  extensions?: { code?: unknown };
}

export const errorCodes = (reply: Reply): string[] =>
  (reply.body?.errors ?? []).map((error) => String(error.extensions?.code ?? '(no code)'));

/** Every broken rule, as readable lines; empty when the reply is fine. */
export function replyProblems(options: {
  operation: string;
  auth: AuthMode;
  reply: Reply;
  foreignIds: ReadonlySet<string>;
}): string[] {
  const { operation, auth, reply, foreignIds } = options;
  const problems: string[] = [];
  if (reply.status >= 500) problems.push(`HTTP status ${reply.status}`);
  if (!reply.body || typeof reply.body !== 'object') {
    problems.push('the body is not a JSON object');
    return problems;
  }
  for (const error of reply.body.errors ?? []) {
    const code = error.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR') problems.push(`INTERNAL_SERVER_ERROR at ${pathOf(error)}`);
    else if (typeof code !== 'string') problems.push(`an error without extensions.code: ${error.message}`);
    else if ((HTTP_REFUSAL_CODES as readonly string[]).includes(code)) {
      if (!(reply.status >= 400 && reply.status < 500 && !('data' in reply.body))) {
        problems.push(`${code} outside an HTTP-level refusal (status ${reply.status})`);
      }
    } else if (!(GRAPHQL_ERROR_CODES as readonly string[]).includes(code))
      problems.push(`error code ${code} is not in the contract`);
  }
  const data = reply.body.data;
  if (auth !== 'A' && !PUBLIC_OPERATIONS.includes(operation) && data) {
    for (const [key, value] of Object.entries(data)) {
      if (value !== null && value !== undefined) problems.push(`data.${key} without a valid token`);
    }
  }
  for (const leak of foreignIdsIn(data, foreignIds)) problems.push(`B's id ${leak.id} in data at ${leak.at}`);
  return problems;
}

const pathOf = (error: ReplyError): string => (error.path ? error.path.join('.') : '(no path)');

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const BASE64URL = /^[A-Za-z0-9_-]{20,}={0,2}$/;

/** Ids in strings anywhere in the JSON, also inside base64url tokens (cursors). */
export function foreignIdsIn(
  value: unknown,
  ids: ReadonlySet<string>,
  at = 'data',
): { id: string; at: string }[] {
  if (typeof value === 'string') {
    const decoded = BASE64URL.test(value) ? Buffer.from(value, 'base64url').toString('latin1') : '';
    const found = [...value.matchAll(UUID), ...decoded.matchAll(UUID)].map((match) => match[0].toLowerCase());
    return found.filter((id) => ids.has(id)).map((id) => ({ id, at }));
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => foreignIdsIn(item, ids, `${at}.${index}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => foreignIdsIn(item, ids, `${at}.${key}`));
  }
  return [];
}
