import { pino, type Logger } from 'pino';
import type { Reply } from './checks.js';

/**
 * Raw GraphQL over HTTP, keeping what the shared GraphQLClient hides: the status and a body that
 * might not be JSON. The server runs with TRUST_PROXY, so `ip` (X-Forwarded-For) is the client
 * address its rate limits count: fuzzed failed logins then block only this run's made-up address,
 * not 127.0.0.1 for the other test files sharing REDIS_URL.
 */
export async function post(
  url: string,
  from: { token?: string; ip: string },
  document: string,
  variables: Record<string, unknown>,
): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': from.ip,
      ...(from.token !== undefined ? { authorization: `Bearer ${from.token}` } : {}),
    },
    body: JSON.stringify({ query: document, variables }),
  });
  const text = await response.text();
  let body: Reply['body'];
  try {
    body = JSON.parse(text) as Reply['body'];
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

/**
 * The server's error log, kept in memory: an INTERNAL_SERVER_ERROR is masked in the response,
 * and the log line with the real cause makes the failure report useful.
 */
export class ServerLog {
  private readonly lines: string[] = [];
  readonly logger: Logger = pino({ level: 'error' }, { write: (line: string) => this.push(line) });

  private push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > 200) this.lines.splice(0, 100);
  }

  /** Forgets what was logged so far; requests are sent one at a time. */
  reset(): void {
    this.lines.length = 0;
  }

  /** The error messages logged since reset(), one line each (a driver error's SQL shortened). */
  causes(): string[] {
    return this.lines.map((line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string } };
        const message = (entry.err?.message ?? '').replace(/\s+/g, ' ');
        const short = message.length > 400 ? `${message.slice(0, 150)} … ${message.slice(-200)}` : message;
        return `${entry.msg ?? ''}${entry.err ? ` — ${entry.err.type ?? 'Error'}: ${short}` : ''}`;
      } catch {
        return line.slice(0, 400);
      }
    });
  }
}

/** A made-up client address (198.18.0.0/15 is set aside for tests), different each call. */
export const randomIp = (): string =>
  `198.${18 + Math.floor(Math.random() * 2)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
