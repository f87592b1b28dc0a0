import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import { User } from './user.entity.js';

/**
 * One issued refresh token. Only its SHA-256 hash is kept. Tokens issued by rotation share the
 * family of the login that started the chain, so reuse of a rotated token can revoke them all.
 */
@Entity({ tableName: 'refresh_tokens' })
@Index({ properties: ['familyId'] })
export class RefreshToken {
  [OptionalProps]?: 'createdAt' | 'revokedAt' | 'rotatedAt' | 'successorSealed';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade', index: true })
  user: Rel<User>;

  @Property({ type: 'uuid' })
  familyId: string;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash: string;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  /** Set when the token is rotated, logged out or revoked with its family. */
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  /** Set when the token is rotated (revokedAt too). */
  @Property({ type: 'timestamptz', nullable: true })
  rotatedAt: Date | null = null;

  /**
   * The successor issued by the rotation, encrypted with a key derived from this token's raw
   * value (which is never stored): only whoever presents this token can read it, for the reuse
   * grace (refresh-token.service.ts).
   */
  @Property({ type: 'text', nullable: true, lazy: true })
  successorSealed: string | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
