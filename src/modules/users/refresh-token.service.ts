import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { unauthenticated } from '../../errors/app-error.js';
import { RefreshToken } from './refresh-token.entity.js';
import { User } from './user.entity.js';

const hashToken = (raw: string): string => createHash('sha256').update(raw, 'utf8').digest('hex');

/**
 * Opaque refresh tokens: 32 random bytes given to the client, only their SHA-256 kept here.
 * Each is used once; using one twice means it leaked, so its whole family is revoked.
 */
export class RefreshTokenService {
  constructor(
    private readonly em: EntityManager,
    private readonly ttlSeconds: number,
  ) {}

  /** Issues a token in the given family (a new family for a fresh login). */
  async issue(user: User, familyId: string = randomUUID()): Promise<string> {
    const raw = randomBytes(32).toString('base64url');
    const token = this.em.create(RefreshToken, {
      user,
      familyId,
      tokenHash: hashToken(raw),
      expiresAt: new Date(Date.now() + this.ttlSeconds * 1000),
    });
    await this.em.persistAndFlush(token);
    return raw;
  }

  /**
   * Spends a token and issues its successor in the same family. A token that was already spent
   * or revoked revokes its family, and the caller gets UNAUTHENTICATED either way.
   */
  async rotate(raw: string): Promise<{ user: User; refreshToken: string }> {
    const outcome = await this.em.transactional(async (em) => {
      // The row lock makes two concurrent uses of one token a reuse, not two successes.
      const token = await em.findOne(
        RefreshToken,
        { tokenHash: hashToken(raw) },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['user'] },
      );
      if (!token) return { ok: false as const };
      if (token.revokedAt) {
        await this.revokeFamily(em, token.familyId);
        return { ok: false as const };
      }
      if (token.expiresAt.getTime() <= Date.now()) return { ok: false as const };
      token.revokedAt = new Date();
      const successor = await new RefreshTokenService(em, this.ttlSeconds).issue(token.user, token.familyId);
      return { ok: true as const, user: token.user, refreshToken: successor };
    });
    // Thrown after the transaction so that a family revoked for reuse stays revoked.
    if (!outcome.ok) throw unauthenticated('Invalid refresh token');
    return { user: outcome.user, refreshToken: outcome.refreshToken };
  }

  /** Revokes the family of one of the user's tokens. False when the user has no such token. */
  async revokeFamilyOf(raw: string, userId: string): Promise<boolean> {
    const token = await this.em.findOne(RefreshToken, { tokenHash: hashToken(raw), user: userId });
    if (!token) return false;
    await this.revokeFamily(this.em, token.familyId);
    return true;
  }

  async revokeAllOf(userId: string): Promise<void> {
    await this.em.nativeUpdate(RefreshToken, { user: userId, revokedAt: null }, { revokedAt: new Date() });
  }

  private async revokeFamily(em: EntityManager, familyId: string): Promise<void> {
    await em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
  }
}
