import ms from 'ms';
import { z } from 'zod';

/** A duration such as "15m", "30d" or "900s" (at least `minSeconds`), turned into whole seconds. */
const durationOf = (minSeconds: number) =>
  z.string().transform((value, ctx) => {
    const millis = /^\d+\s*[a-z]+$/i.test(value.trim()) ? ms(value.trim() as ms.StringValue) : undefined;
    if (millis === undefined || !Number.isFinite(millis) || millis < minSeconds * 1000) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a duration such as 15m, 12h or 30d (at least ${minSeconds}s)`,
      });
      return z.NEVER;
    }
    return Math.floor(millis / 1000);
  });
const duration = durationOf(1);

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// URL');

const redisUrl = z
  .string()
  .url()
  .refine((value) => /^rediss?:\/\//.test(value), 'must be a redis:// URL');

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  );

/**
 * Every setting, by its environment variable, with its default: the one list (README's settings
 * table describes the same). `Config` is derived from it with camel-cased names
 * (ACCESS_TOKEN_TTL → accessTokenTtl); durations are whole seconds.
 */
const settings = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(0, 65535).default(4000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: postgresUrl.optional(),
    DATA_DIR: z.string().min(1).default('./.data'),
    REDIS_URL: redisUrl.optional(),
    JWT_SECRET: z.string().optional(),
    ACCESS_TOKEN_TTL: duration.default(15 * 60),
    REFRESH_TOKEN_TTL: duration.default(30 * 24 * 3600),
    /** A just-rotated refresh token presented again within this gives the same successor. */
    REFRESH_REUSE_GRACE: durationOf(0).default(10),
    BCRYPT_COST: int(4, 15).default(12),
    /** bcrypt jobs at once; the rest of libuv's pool stays free for token checks and files. */
    BCRYPT_CONCURRENCY: int(1, 64).default(2),
    /** bcrypt jobs waiting for a slot; one more is RATE_LIMITED. */
    BCRYPT_QUEUE: int(0, 10_000).default(16),
    AUTH_RATE_LIMIT: int(1, 1_000_000).default(30),
    /** Consecutive failed logins for one email from one IP before that pair is blocked. */
    LOGIN_FAILS_PER_EMAIL_AND_IP: int(1, 1_000_000).default(10),
    /** Failed logins from one IP, whatever the email, per day. */
    LOGIN_FAILS_PER_IP_PER_DAY: int(1, 1_000_000).default(100),
    /** Wrong currentPassword attempts per user per hour before every session is revoked. */
    PASSWORD_CHECK_FAILS: int(1, 1_000).default(5),
    TRUST_PROXY: boolean.default(false),
    CORS_ORIGINS: list,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** pretty: one coloured line per event (pino-pretty); auto = pretty on a terminal outside production. */
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
    /** A request slower than this is logged at warn. */
    SLOW_REQUEST_MS: int(1, 3_600_000).default(1000),
    /** Serves GET /metrics (Prometheus) on this port (0: any free one); unset = no metrics served. Never the API's port. */
    METRICS_PORT: int(0, 65535).optional(),
    /** The address /metrics listens on: loopback unless said otherwise, so it is never public by accident. */
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** The most an operation may cost (see src/graphql/cost.ts), counted with its variables. */
    MAX_QUERY_COST: int(100, 10_000_000).default(20_000),
    /** Per SQL statement: the backstop for any request's database time. */
    DB_STATEMENT_TIMEOUT: duration.default(10),
    DB_IDLE_IN_TRANSACTION_TIMEOUT: duration.default(10),
    /** Receiving a whole request (headers and body). */
    HTTP_REQUEST_TIMEOUT: duration.default(30),
    /** An export whose client takes no data for this long is cut. */
    EXPORT_WRITE_TIMEOUT: duration.default(30),
    EXPORTS_PER_USER: int(1, 100).default(2),
    /** The largest file previewImport/commitImport take as a string (bytes); larger ones go to POST /import. */
    IMPORT_MAX_BYTES: int(1024, 64 * 1024 * 1024).default(5 * 1024 * 1024),
    /** The largest file POST /import takes (bytes): spooled to a temporary file, then read as a stream. */
    IMPORT_UPLOAD_MAX_BYTES: int(1024, 4 * 1024 * 1024 * 1024).default(100 * 1024 * 1024),
    /** Rows one import may hold; beyond, the import is refused (nothing written). */
    IMPORT_MAX_ROWS: int(1, 10_000_000).default(250_000),
    /** Imports (and previews) one user may run at once. */
    IMPORTS_PER_USER: int(1, 100).default(1),
    /** Messages one WebSocket may send per minute; beyond, it is closed with 4429. */
    WS_MESSAGES_PER_MINUTE: int(1, 100_000).default(120),
    MAX_ACCOUNTS: int(1, 100_000).default(200),
    MAX_CATEGORIES: int(1, 100_000).default(300),
    MAX_BUDGETS: int(1, 100_000).default(200),
    /** Transaction rules per user: every new transaction is checked against each enabled one. */
    MAX_RULES: int(1, 1_000).default(100),
    /** Recurring transactions per user. */
    MAX_RECURRING: int(1, 10_000).default(200),
    /** How often each instance materializes due recurring transactions (0: never; another instance must). */
    RECURRING_TICK_MS: int(0, 86_400_000).default(60_000),
    /** The most occurrences one tick materializes, so a long catch-up is spread over ticks. */
    RECURRING_TICK_LIMIT: int(1, 100_000).default(500),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && Buffer.byteLength(env.JWT_SECRET ?? '', 'utf8') < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required in production and must be at least 32 bytes',
      });
    }
  });

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Lowercase<Head>}${Capitalize<CamelCase<Tail>>}`
  : Lowercase<S>;

type Settings = z.infer<typeof settings>;

/** The parsed settings, camel-cased: DATA_DIR → dataDir. */
export type Config = { [K in keyof Settings as CamelCase<K & string>]: Settings[K] };

export class ConfigError extends Error {}

const camelCase = (name: string): string =>
  name.toLowerCase().replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/** Parses the environment once. Throws ConfigError with one line naming the bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = settings.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid setting ${issue.path.join('.')}: ${issue.message}`);
  }
  return Object.fromEntries(
    Object.entries(parsed.data).map(([name, value]) => [camelCase(name), value]),
  ) as Config;
}
