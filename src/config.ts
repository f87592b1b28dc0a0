import ms from 'ms';
import { z } from 'zod';

/** A duration such as "15m", "30d" or "900s", turned into whole seconds. */
const duration = z.string().transform((value, ctx) => {
  const millis = /^\d+\s*[a-z]+$/i.test(value.trim()) ? ms(value.trim() as ms.StringValue) : undefined;
  if (millis === undefined || !Number.isFinite(millis) || millis < 1000) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 15m, 12h or 30d (at least 1s)' });
    return z.NEVER;
  }
  return Math.floor(millis / 1000);
});

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

const envSchema = z
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
    BCRYPT_COST: int(4, 15).default(12),
    AUTH_RATE_LIMIT: int(1, 1_000_000).default(30),
    TRUST_PROXY: boolean.default(false),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Unset: the embedded PGlite database under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  /** Unset outside production: generated once and kept in dataDir. */
  jwtSecret?: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  bcryptCost: number;
  /** Requests per minute per client IP to register, login and refreshToken together. */
  authRateLimit: number;
  trustProxy: boolean;
  corsOrigins: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {}

/** Parses the environment once. Throws ConfigError with one line naming the bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid setting ${issue.path.join('.')}: ${issue.message}`);
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    redisUrl: env.REDIS_URL,
    jwtSecret: env.JWT_SECRET,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL,
    bcryptCost: env.BCRYPT_COST,
    authRateLimit: env.AUTH_RATE_LIMIT,
    trustProxy: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS,
    logLevel: env.LOG_LEVEL,
  };
}
