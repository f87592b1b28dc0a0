import { randomUUID, webcrypto } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
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

/** Why a token signs no one in: past its expiry (a refresh helps), or not one of ours at all. */
export type TokenRejection = 'TOKEN_EXPIRED' | 'TOKEN_INVALID';

/** What a presented access token amounts to. */
export type TokenCheck = { ok: true; token: VerifiedToken } | { ok: false; reason: TokenRejection };

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
   * What a valid token says, or why it is refused. The algorithm is pinned, so `alg: none` or a
   * token signed another way never verifies; issuer, audience and expiry (by the injected
   * clock) are checked. Only a token whose signature and claims hold but whose time is up is
   * TOKEN_EXPIRED.
   */
  async verify(token: string): Promise<TokenCheck> {
    const known = this.verified.get(token);
    if (known) return known.expiresAt > this.clock.now() ? { ok: true, token: known } : EXPIRED;
    const checked = await this.verifySignedToken(token);
    if (checked.ok) this.verified.set(token, checked.token);
    return checked;
  }

  private async verifySignedToken(token: string): Promise<TokenCheck> {
    try {
      const { payload } = await jwtVerify(token, await this.key, {
        algorithms: [ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        currentDate: new Date(this.clock.now()),
      });
      if (typeof payload.sub !== 'string') return INVALID;
      return {
        ok: true,
        token: {
          userId: payload.sub,
          sessionId: typeof payload.sid === 'string' ? payload.sid : undefined,
          expiresAt: payload.exp! * 1000,
        },
      };
    } catch (error) {
      // jose checks the signature before the claims, so an expired token is a genuine one.
      return error instanceof errors.JWTExpired ? EXPIRED : INVALID;
    }
  }
}

const EXPIRED = { ok: false, reason: 'TOKEN_EXPIRED' } as const;
const INVALID = { ok: false, reason: 'TOKEN_INVALID' } as const;

/** Reads "Bearer <token>" (case-insensitive scheme); anything else is no token. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
