import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { rateLimited } from '../errors/app-error.js';

const FAILED_LOGINS_PER_EMAIL = 10;
const FAILED_LOGIN_WINDOW_SECONDS = 15 * 60;

export interface AuthRateLimits {
  /** register, login and refreshToken together, per client IP and minute. */
  perIp: RateLimiterAbstract;
  /** Failed logins per email, whatever IP they come from. */
  failedLoginsPerEmail: RateLimiterAbstract;
}

/**
 * Memory counters by default; with Redis, counters shared by every instance, falling back to
 * memory while Redis is unreachable so a Redis outage never blocks logins.
 */
export function createAuthRateLimits(perMinute: number, redis?: Redis): AuthRateLimits {
  const limiter = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    if (!redis) return memory;
    return new RateLimiterRedis({
      storeClient: redis,
      keyPrefix,
      points,
      duration,
      insuranceLimiter: memory,
    });
  };
  return {
    perIp: limiter('rl:auth-ip', perMinute, 60),
    failedLoginsPerEmail: limiter('rl:login-email', FAILED_LOGINS_PER_EMAIL, FAILED_LOGIN_WINDOW_SECONDS),
  };
}

/** Takes one point or throws RATE_LIMITED with the seconds until the window frees up. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(secondsUntil(error));
    throw error;
  }
}

/** Throws RATE_LIMITED when the key has no points left, without taking one. */
export async function assertNotExhausted(limiter: RateLimiterAbstract, key: string): Promise<void> {
  const state = await limiter.get(key);
  if (state && state.remainingPoints <= 0) throw rateLimited(secondsUntil(state));
}

function secondsUntil(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
