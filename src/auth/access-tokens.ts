import { randomUUID, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../clock.js';

const ALGORITHM = 'HS256';
export const TOKEN_ISSUER = 'ledgerline';
export const TOKEN_AUDIENCE = 'ledgerline-api';

export interface AccessToken {
  token: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

/** What a valid access token says. */
export interface VerifiedToken {
  userId: string;
  /**
   * The sign-in it belongs to: the family of refresh tokens grown from one login. Sockets opened
   * with the token close when that sign-in ends (logout, password change).
   */
  sessionId?: string;
  /** When it stops being valid, in milliseconds since the epoch. */
  expiresAt: number;
}

/** Tokens remembered as verified: a client sends the same token with every request. */
const VERIFIED_TOKENS = 10_000;

/** Signs and verifies short-lived access tokens (JWT, HS256 only). */
export class AccessTokens {
  /** Imported once: jose would otherwise import the raw secret into WebCrypto on every call. */
  private readonly key: Promise<webcrypto.CryptoKey>;
  /**
   * Token → what it says, for tokens that verified. Only an exact token that passed the
   * signature check is found here, and its expiry is still checked against the clock each time;
   * this spares the HMAC and claim parsing (a tenth of a small request's CPU) on repeat requests.
   */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS });

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.key = webcrypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  async issue(userId: string, sessionId: string): Promise<AccessToken> {
    const now = Math.floor(this.clock.now() / 1000);
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(await this.key);
    return { token, expiresIn: this.ttlSeconds };
  }

  /**
   * What a valid token says, or undefined. The algorithm is pinned, so `alg: none` or a token
   * signed another way never verifies; issuer, audience and expiry (by the injected clock) are
   * checked.
   */
  async verify(token: string): Promise<VerifiedToken | undefined> {
    const known = this.verified.get(token);
    if (known) return known.expiresAt > this.clock.now() ? known : undefined;
    const verified = await this.verifySignedToken(token);
    if (verified) this.verified.set(token, verified);
    return verified;
  }

  private async verifySignedToken(token: string): Promise<VerifiedToken | undefined> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: [ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        currentDate: new Date(this.clock.now()),
      });
      if (typeof payload.sub !== 'string') return undefined;
      return {
        userId: payload.sub,
        sessionId: typeof payload.sid === 'string' ? payload.sid : undefined,
        expiresAt: payload.exp! * 1000,
      };
    } catch {
      return undefined;
    }
  }
}

/** Reads "Bearer <token>" (case-insensitive scheme); anything else is no token. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
