import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { rateLimited } from '../errors/app-error.js';
import type { RateLimiterName } from '../metrics/metrics.js';

const DAY = 24 * 3600;

export interface AuthRateLimitSettings {
  authRateLimit: number;
  loginFailsPerEmailAndIp: number;
  loginFailsPerIpPerDay: number;
  passwordCheckFails: number;
}

/**
 * The counters behind sign-in protection, after rate-limiter-flexible's login-protection
 * pattern: failures are counted per (email, IP) and per IP, never per email alone, so nobody can
 * lock someone else out by failing on their email.
 */
export interface AuthRateLimits {
  /** register, login and refreshToken together, per client IP and minute. */
  perIp: RateLimiterAbstract;
  /** Consecutive failed logins for one email from one IP; a success resets it. Blocks an hour. */
  loginFailsByEmailAndIp: RateLimiterAbstract;
  /** Failed logins from one IP per day, whatever the email (slow brute force). Blocks a day. */
  loginFailsByIp: RateLimiterAbstract;
  /** Wrong currentPassword attempts per user and hour. */
  passwordCheckFails: RateLimiterAbstract;
}

/** Each limiter's name in the rate-limit metric. */
const NAMES: Record<keyof AuthRateLimits, RateLimiterName> = {
  perIp: 'auth_ip',
  loginFailsByEmailAndIp: 'login_email_ip',
  loginFailsByIp: 'login_ip_day',
  passwordCheckFails: 'password_check',
};
/** Told of each refusal by consumeOrThrow, per limiter (set when the limits are created). */
const onRefusal = new WeakMap<RateLimiterAbstract, () => void>();

/**
 * Memory counters by default; with Redis, counters shared by every instance, falling back to
 * memory while Redis is unreachable so a Redis outage never blocks logins.
 */
export function createAuthRateLimits(
  settings: AuthRateLimitSettings,
  redis?: Redis,
  /** Called with the limiter's name each time consumeOrThrow refuses (the rate-limit metric). */
  onRejected?: (limiter: RateLimiterName) => void,
): AuthRateLimits {
  const limiter = (
    keyPrefix: string,
    points: number,
    duration: number,
    blockDuration = 0,
  ): RateLimiterAbstract => {
    const options = { keyPrefix, points, duration, blockDuration };
    const memory = new RateLimiterMemory(options);
    if (!redis) return memory;
    return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory });
  };
  const limits: AuthRateLimits = {
    perIp: limiter('rl:auth-ip', settings.authRateLimit, 60),
    // 20 days: long enough to count failures that come slowly; the memory limiter's timers stop at 24.8 days.
    loginFailsByEmailAndIp: limiter('rl:login-email-ip', settings.loginFailsPerEmailAndIp, 20 * DAY, 3600),
    loginFailsByIp: limiter('rl:login-ip-day', settings.loginFailsPerIpPerDay, DAY, DAY),
    passwordCheckFails: limiter('rl:password-check', settings.passwordCheckFails, 3600),
  };
  for (const [field, name] of Object.entries(NAMES)) {
    if (onRejected) onRefusal.set(limits[field as keyof AuthRateLimits], () => onRejected(name));
  }
  return limits;
}

/** Takes one point or throws RATE_LIMITED with the seconds until the window frees up. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    onRefusal.get(limiter)?.();
    throw rateLimited(secondsUntil(error));
  }
}

function secondsUntil(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
