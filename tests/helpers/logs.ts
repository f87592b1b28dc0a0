import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../src/logger.js';

/** A logger whose lines (JSON, one per entry) are kept in `lines` instead of printed. */
export function capturingLogger(level: 'info' | 'warn'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino(
    { level },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { log, lines };
}
