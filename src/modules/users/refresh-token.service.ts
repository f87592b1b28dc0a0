import { createHash, randomBytes, randomUUID } from 'node:crypto';
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
 * Each is used once; using one twice means it leaked, so its whole family is revoked.
 */
export class RefreshTokenService {
  constructor(
    private readonly em: EntityManager,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  /** Issues a token in the given family (a new family for a fresh login). */
  async issue(user: User, familyId: string = randomUUID()): Promise<IssuedRefreshToken> {
    const raw = randomBytes(32).toString('base64url');
    const token = this.em.create(RefreshToken, {
      user,
      familyId,
      tokenHash: hashToken(raw),
      expiresAt: new Date(this.clock.now() + this.ttlSeconds * 1000),
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
        await this.revokeFamily(em, token.familyId);
        return { ok: false, familyRevoked: { userId: token.user.id, familyId: token.familyId } };
      }
      if (token.expiresAt.getTime() <= this.clock.now()) return { ok: false };
      token.revokedAt = new Date(this.clock.now());
      const successor = await new RefreshTokenService(em, this.ttlSeconds, this.clock).issue(
        token.user,
        token.familyId,
      );
      return { ok: true, user: token.user, refreshToken: successor };
    });
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

/** Thrown for any refresh token that cannot be used; the same answer whatever the reason. */
export const invalidRefreshToken = () => unauthenticated('Invalid refresh token');
