import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../clock.js';
import { unauthenticated } from '../../errors/app-error.js';
import { RefreshToken } from './refresh-token.entity.js';
import { User } from './user.entity.js';

const hashToken = (raw: string): string => createHash('sha256').update(raw, 'utf8').digest('hex');

/** A refresh token handed to a client, and the sign-in (family) it belongs to. */
export interface IssuedRefreshToken {
  raw: string;
  familyId: string;
}

export type RotateOutcome =
  | { ok: true; user: User; refreshToken: IssuedRefreshToken }
  /** familyRevoked: the token had been used before, so its whole family was just revoked. */
  | { ok: false; familyRevoked?: { userId: string; familyId: string } };

/**
 * Opaque refresh tokens: 32 random bytes given to the client, only their SHA-256 kept here.
 * Each is used once; using one twice means it leaked, so its whole family is revoked. One
 * exception, as identity providers make it: the same token presented again within the reuse
 * grace of its rotation (two tabs, or two parallel requests, refreshing at once) gets the same
 * successor its first use got, while that successor is unused; later, it revokes the family.
 */
export class RefreshTokenService {
  constructor(
    private readonly em: EntityManager,
    private readonly settings: { ttlSeconds: number; reuseGraceSeconds: number },
    private readonly clock: Clock,
  ) {}

  /** Issues a token in the given family (a new family for a fresh login). */
  async issue(user: User, familyId: string = randomUUID()): Promise<IssuedRefreshToken> {
    const raw = randomBytes(32).toString('base64url');
    const token = this.em.create(RefreshToken, {
      user,
      familyId,
      tokenHash: hashToken(raw),
      expiresAt: new Date(this.clock.now() + this.settings.ttlSeconds * 1000),
    });
    await this.em.persistAndFlush(token);
    return { raw, familyId };
  }

  /**
   * Spends a token and issues its successor in the same family. A token that was already spent
   * or revoked revokes its family. The caller turns a failure into UNAUTHENTICATED, after the
   * transaction, so that a family revoked for reuse stays revoked.
   */
  rotate(raw: string): Promise<RotateOutcome> {
    return this.em.transactional(async (em): Promise<RotateOutcome> => {
      // The row lock makes two concurrent uses of one token a reuse, not two successes.
      const token = await em.findOne(
        RefreshToken,
        { tokenHash: hashToken(raw) },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['user'] },
      );
      if (!token) return { ok: false };
      if (token.revokedAt) {
        const successor = await this.successorWithinGrace(em, token, raw);
        if (successor) return { ok: true, user: token.user, refreshToken: successor };
        await this.revokeFamily(em, token.familyId);
        return { ok: false, familyRevoked: { userId: token.user.id, familyId: token.familyId } };
      }
      if (token.expiresAt.getTime() <= this.clock.now()) return { ok: false };
      token.revokedAt = token.rotatedAt = new Date(this.clock.now());
      const successor = await new RefreshTokenService(em, this.settings, this.clock).issue(
        token.user,
        token.familyId,
      );
      token.successorSealed = seal(successor.raw, raw);
      return { ok: true, user: token.user, refreshToken: successor };
    });
  }

  /**
   * The successor of `token` (rotated, presented again as `raw`) when the reuse grace allows
   * it: rotated no longer ago than the grace, and the successor neither used nor revoked (a
   * logout or a reuse since then revoked it) nor expired.
   */
  private async successorWithinGrace(
    em: EntityManager,
    token: RefreshToken,
    raw: string,
  ): Promise<IssuedRefreshToken | undefined> {
    if (!token.rotatedAt) return undefined;
    if (this.clock.now() - token.rotatedAt.getTime() > this.settings.reuseGraceSeconds * 1000)
      return undefined;
    await em.populate(token, ['successorSealed']);
    const successorRaw = token.successorSealed ? unseal(token.successorSealed, raw) : undefined;
    if (!successorRaw) return undefined;
    const successor = await em.findOne(
      RefreshToken,
      { tokenHash: hashToken(successorRaw), familyId: token.familyId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!successor || successor.revokedAt || successor.expiresAt.getTime() <= this.clock.now()) {
      return undefined;
    }
    return { raw: successorRaw, familyId: token.familyId };
  }

  /** Revokes the family of one of the user's tokens: its id, or undefined when there is no such token. */
  async revokeFamilyOf(raw: string, userId: string): Promise<string | undefined> {
    const token = await this.em.findOne(RefreshToken, { tokenHash: hashToken(raw), user: userId });
    if (!token) return undefined;
    await this.revokeFamily(this.em, token.familyId);
    return token.familyId;
  }

  async revokeAllOf(userId: string): Promise<void> {
    await this.em.nativeUpdate(
      RefreshToken,
      { user: userId, revokedAt: null },
      { revokedAt: new Date(this.clock.now()) },
    );
  }

  private async revokeFamily(em: EntityManager, familyId: string): Promise<void> {
    await em.nativeUpdate(
      RefreshToken,
      { familyId, revokedAt: null },
      { revokedAt: new Date(this.clock.now()) },
    );
  }
}

/**
 * The successor's raw token encrypted (AES-256-GCM) under a key derived from the rotated token's
 * raw value. The database keeps only that token's SHA-256, a different digest of it, so a copy
 * of the database cannot open it.
 */
const sealingKey = (raw: string): Buffer =>
  createHash('sha256').update(`ledgerline refresh successor\0${raw}`, 'utf8').digest();

function seal(secret: string, raw: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(raw), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

function unseal(sealed: string, raw: string): string | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(raw), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Thrown for any refresh token that cannot be used; the same answer whatever the reason. */
export const invalidRefreshToken = () => unauthenticated('REFRESH_REVOKED', 'Invalid refresh token');
