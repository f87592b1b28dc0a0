import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions, type Logger } from '../../src/logger.js';

/** A logger like the app's (redaction included) whose lines (JSON, one per entry) are kept in `lines`. */
export function capturingLogger(level: 'debug' | 'info' | 'warn'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino(
    loggerOptions(level),
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { log, lines };
}
