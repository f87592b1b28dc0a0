import type { EntityManager } from '@mikro-orm/postgresql';
import { unauthenticated } from '../../errors/app-error.js';
import { User } from './user.entity.js';
import type { UpdateProfileInput } from './user.inputs.js';

export class UserService {
  constructor(private readonly em: EntityManager) {}

  /** The signed-in user; a token whose user no longer exists is no longer a valid sign-in. */
  async get(userId: string, options: { withPasswordHash?: boolean } = {}): Promise<User> {
    const user = await this.em.findOne(
      User,
      { id: userId },
      { populate: options.withPasswordHash ? ['passwordHash'] : [] },
    );
    if (!user) throw unauthenticated('TOKEN_INVALID');
    return user;
  }

  /** Fields left out keep their value; name: null clears the name. */
  async updateProfile(userId: string, input: UpdateProfileInput): Promise<User> {
    const user = await this.get(userId);
    if (input.name !== undefined) user.name = input.name?.trim() || null;
    if (input.currency) user.currency = input.currency.toUpperCase();
    await this.em.flush();
    return user;
  }
}
