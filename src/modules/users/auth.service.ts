import type { EntityManager } from '@mikro-orm/postgresql';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { consumeOrThrow } from '../../auth/rate-limits.js';
import type { AppServices } from '../../context.js';
import { badInput, conflict, unauthenticated } from '../../errors/app-error.js';
import type { AuthPayload } from './auth-payload.type.js';
import { normalizeEmail } from '../../validation/text.js';
import {
  invalidRefreshToken,
  RefreshTokenService,
  type IssuedRefreshToken,
} from './refresh-token.service.js';
import { User } from './user.entity.js';
import type { LoginInput, RegisterInput } from './user.inputs.js';
import { UserService } from './user.service.js';

/** Registration, login and the token lifecycle. */
export class AuthService {
  private readonly refreshTokens: RefreshTokenService;

  constructor(
    private readonly em: EntityManager,
    private readonly app: AppServices,
  ) {
    this.refreshTokens = this.refreshTokensOn(em);
  }

  async register(input: RegisterInput): Promise<AuthPayload> {
    const email = normalizeEmail(input.email);
    if (await this.em.count(User, { email })) throw conflict('This email is already registered');
    const user = this.em.create(User, {
      email,
      passwordHash: await this.app.passwords.hash(input.password),
      name: input.name?.trim() || null,
      currency: input.currency?.toUpperCase() ?? 'USD',
    });
    for (const addTo of this.app.onUserCreated) addTo(this.em, user.id);
    // A concurrent registration of the same email loses on the unique index: CONFLICT too.
    await this.em.persistAndFlush(user);
    return this.signIn(user);
  }

  /**
   * Unknown email and wrong password answer alike, after the same bcrypt work. Guesses are
   * counted per (email, client IP) and per IP before the password is checked, so concurrent
   * guesses count too; a success resets its pair. Nobody can lock out an email from elsewhere.
   */
  async login(input: LoginInput, ip: string): Promise<AuthPayload> {
    const email = normalizeEmail(input.email);
    const { loginFailsByIp, loginFailsByEmailAndIp } = this.app.rateLimits;
    const pair = `${email}|${ip}`;
    await consumeOrThrow(loginFailsByIp, ip);
    await refundOnError([[loginFailsByIp, ip]], () => consumeOrThrow(loginFailsByEmailAndIp, pair));
    const user = await this.em.findOne(User, { email }, { populate: ['passwordHash'] });
    const matches = await refundOnError(
      [
        [loginFailsByIp, ip],
        [loginFailsByEmailAndIp, pair],
      ],
      () => this.app.passwords.verify(input.password, user?.passwordHash),
    );
    if (!matches) throw unauthenticated('BAD_CREDENTIALS', 'Invalid email or password');
    await Promise.all([loginFailsByEmailAndIp.delete(pair), loginFailsByIp.reward(ip, 1)]);
    return this.signIn(user!);
  }

  async refresh(raw: string): Promise<AuthPayload> {
    const rotated = await this.refreshTokens.rotate(raw);
    if (!rotated.ok) {
      const revoked = rotated.familyRevoked;
      if (revoked) this.endSessions(revoked.userId, revoked.familyId);
      throw invalidRefreshToken();
    }
    return this.payload(rotated.user, rotated.refreshToken);
  }

  async logout(userId: string, refreshToken: string): Promise<boolean> {
    const familyId = await this.refreshTokens.revokeFamilyOf(refreshToken, userId);
    if (!familyId) return false;
    this.endSessions(userId, familyId);
    return true;
  }

  /**
   * Every sign-in of the user ends. Wrong current passwords are counted per user before bcrypt
   * runs; the last one allowed also ends every sign-in, since whoever holds the access token
   * is guessing.
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await new UserService(this.em).get(userId, { withPasswordHash: true });
    const checks = this.app.rateLimits.passwordCheckFails;
    const attempt = await consumeOrThrow(checks, userId);
    const matches = await refundOnError([[checks, userId]], () =>
      this.app.passwords.verify(currentPassword, user.passwordHash),
    );
    if (!matches) {
      if (attempt.remainingPoints === 0) await this.endAllSessions(this.em, userId);
      throw badInput('currentPassword', 'Current password is wrong');
    }
    await checks.reward(userId, 1);
    const passwordHash = await this.app.passwords.hash(newPassword);
    await this.em.transactional(async (em) => {
      await em.nativeUpdate(User, { id: userId }, { passwordHash });
      await this.refreshTokensOn(em).revokeAllOf(userId);
    });
    this.endSessions(userId);
  }

  private async endAllSessions(em: EntityManager, userId: string): Promise<void> {
    await this.refreshTokensOn(em).revokeAllOf(userId);
    this.endSessions(userId);
  }

  /** Tells every server instance, so open sockets of those sign-ins close (call after commit). */
  private endSessions(userId: string, sessionId?: string): void {
    this.app.pubSub.publish('SESSIONS_ENDED', userId, sessionId ? { sessionId } : {});
  }

  private refreshTokensOn(em: EntityManager): RefreshTokenService {
    const { refreshTokenTtl, refreshReuseGrace } = this.app.config;
    return new RefreshTokenService(
      em,
      { ttlSeconds: refreshTokenTtl, reuseGraceSeconds: refreshReuseGrace },
      this.app.clock,
    );
  }

  private async signIn(user: User): Promise<AuthPayload> {
    return this.payload(user, await this.refreshTokens.issue(user));
  }

  private async payload(user: User, refreshToken: IssuedRefreshToken): Promise<AuthPayload> {
    const access = await this.app.accessTokens.issue(user.id, refreshToken.familyId);
    return { accessToken: access.token, expiresIn: access.expiresIn, refreshToken: refreshToken.raw, user };
  }
}

/** Gives back the points taken for an attempt that could not be made (e.g. bcrypt was busy). */
async function refundOnError<T>(
  taken: [RateLimiterAbstract, string][],
  attempt: () => Promise<T>,
): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    await Promise.all(taken.map(([limiter, key]) => limiter.reward(key, 1)));
    throw error;
  }
}
