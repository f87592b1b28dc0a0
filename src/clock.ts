/**
 * The time as the server sees it. Everything that decides by the clock (token expiry, refresh
 * token lifetimes, when a socket's sign-in runs out) asks this, so tests move time instead of
 * sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
