import { randomUUID } from 'node:crypto';
import type { GraphQLClient } from './graphql.js';
import { LOGIN, REGISTER } from './operations.js';

export { LOGIN, REGISTER };

export interface RegisteredUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export const uniqueEmail = (prefix = 'user'): string => `${prefix}-${randomUUID().slice(0, 8)}@example.com`;

/** Registers a new user with a unique email through the API. */
export async function registerUser(
  client: GraphQLClient,
  input: { email?: string; password?: string; name?: string; currency?: string } = {},
): Promise<RegisteredUser> {
  const email = input.email ?? uniqueEmail();
  const password = input.password ?? 'correct horse battery';
  const data = await client.data<{ register: any }>(REGISTER, { input: { ...input, email, password } });
  return {
    id: data.register.user.id,
    email: data.register.user.email,
    password,
    accessToken: data.register.accessToken,
    refreshToken: data.register.refreshToken,
  };
}
