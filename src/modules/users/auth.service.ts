import type { EntityManager } from '@mikro-orm/postgresql';
import { assertNotExhausted } from '../../auth/rate-limits.js';
import type { AppServices } from '../../context.js';
import { badInput, conflict, unauthenticated } from '../../errors/app-error.js';
import type { AuthPayload } from './auth-payload.type.js';
import { CategoryService } from '../categories/category.service.js';
import { RefreshTokenService } from './refresh-token.service.js';
import { User } from './user.entity.js';
import type { LoginInput, RegisterInput } from './user.inputs.js';
import { UserService } from './user.service.js';

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Registration, login and the token lifecycle. */
export class AuthService {
  private readonly refreshTokens: RefreshTokenService;

  constructor(
    private readonly em: EntityManager,
    private readonly app: AppServices,
  ) {
    this.refreshTokens = new RefreshTokenService(em, app.config.refreshTokenTtl);
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
    CategoryService.seedStarterSet(this.em, user);
    // A concurrent registration of the same email loses on the unique index: CONFLICT too.
    await this.em.persistAndFlush(user);
    return this.signIn(user);
  }

  /** Unknown email and wrong password answer alike, after the same bcrypt work. */
  async login(input: LoginInput): Promise<AuthPayload> {
    const email = normalizeEmail(input.email);
    const failures = this.app.rateLimits.failedLoginsPerEmail;
    await assertNotExhausted(failures, email);
    const user = await this.em.findOne(User, { email }, { populate: ['passwordHash'] });
    if (!(await this.app.passwords.verify(input.password, user?.passwordHash))) {
      await failures.penalty(email);
      throw unauthenticated('Invalid email or password');
    }
    await failures.delete(email);
    return this.signIn(user!);
  }

  async refresh(refreshToken: string): Promise<AuthPayload> {
    const rotated = await this.refreshTokens.rotate(refreshToken);
    return this.payload(rotated.user, rotated.refreshToken);
  }

  logout(userId: string, refreshToken: string): Promise<boolean> {
    return this.refreshTokens.revokeFamilyOf(refreshToken, userId);
  }

  /** Every refresh token of the user stops working; access tokens live out their short TTL. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await new UserService(this.em).get(userId, { withPasswordHash: true });
    if (!(await this.app.passwords.verify(currentPassword, user.passwordHash))) {
      throw badInput('currentPassword', 'Current password is wrong');
    }
    const passwordHash = await this.app.passwords.hash(newPassword);
    await this.em.transactional(async (em) => {
      await em.nativeUpdate(User, { id: userId }, { passwordHash });
      await new RefreshTokenService(em, this.app.config.refreshTokenTtl).revokeAllOf(userId);
    });
  }

  private async signIn(user: User): Promise<AuthPayload> {
    return this.payload(user, await this.refreshTokens.issue(user));
  }

  private async payload(user: User, refreshToken: string): Promise<AuthPayload> {
    const access = await this.app.accessTokens.issue(user.id);
    return { accessToken: access.token, expiresIn: access.expiresIn, refreshToken, user };
  }
}
