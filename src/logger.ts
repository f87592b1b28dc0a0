import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type Logger = PinoLogger;

/** Never log credentials, whatever object ends up in a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'password',
  'currentPassword',
  'newPassword',
  'refreshToken',
  'accessToken',
  'token',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.refreshToken',
  '*.accessToken',
  'variables.input.password',
  'variables.*',
];

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * JSON lines for machines; with 'pretty' (or 'auto' on a terminal outside production) one
 * coloured line per event for a person watching `npm start` or `npm run dev`.
 */
/** The options every logger of the app is made with (tests capture lines with the same). */
export const loggerOptions = (level: string): LoggerOptions => ({
  level,
  redact: { paths: REDACT, censor: '[redacted]' },
});

export function createLogger(level: string, format: LogFormat = 'json', nodeEnv = 'development'): Logger {
  const options = loggerOptions(level);
  const human =
    format === 'pretty' || (format === 'auto' && process.stdout.isTTY && nodeEnv !== 'production');
  if (!human) return pino(options);
  // Synchronous, so the last lines before an exit are not lost; the details stay on the line, but
  // an access line's message already says method, path, status and time (headers show at debug).
  const verbose = level === 'debug' || level === 'trace';
  return pino(
    options,
    pretty({
      sync: true,
      colorize: process.stdout.isTTY,
      singleLine: true,
      ignore: verbose ? 'pid,hostname' : 'pid,hostname,req,res,responseTime',
      translateTime: 'HH:MM:ss',
    }),
  );
}
