import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
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

/** Signs and verifies short-lived access tokens (JWT, HS256 only). */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.key = new TextEncoder().encode(secret);
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
      .sign(this.key);
    return { token, expiresIn: this.ttlSeconds };
  }

  /**
   * What a valid token says, or undefined. The algorithm is pinned, so `alg: none` or a token
   * signed another way never verifies; issuer, audience and expiry (by the injected clock) are
   * checked.
   */
  async verify(token: string): Promise<VerifiedToken | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
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
