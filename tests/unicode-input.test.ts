import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { REGISTER, registerUser, uniqueEmail } from './helpers/users.js';

/**
 * Text that looks like other text, or like nothing: emails are compared in NFKC form and may not
 * hide control or zero-width characters; names must show something.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const register = (email: string, extra: Record<string, unknown> = {}) =>
  server.client().request(REGISTER, { input: { email, password: 'password123', ...extra } });

describe('emails', () => {
  it('a fullwidth look-alike is the same address (NFKC), so it cannot register twice', async () => {
    const local = uniqueEmail('ann').split('@')[0]!;
    const plain = await register(`${local}@example.com`);
    expect(plain.errors).toBeUndefined();
    // ｅｘａｍｐｌｅ in fullwidth letters.
    const fullwidth = await register(`${local}@\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45.com`);
    expect(fullwidth.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it.each([
    ['a zero-width space', 'a\u200Bnn'],
    ['a zero-width joiner', 'an\u200Dn'],
    ['a control character', 'an\u0007n'],
    ['a right-to-left override', 'an\u202En'],
    ['a stray combining mark', 'x\u0353y'],
  ])('refuses %s in an email', async (_what, local) => {
    const result = await register(`${local}-${Date.now()}@example.com`);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it('a letter and its combining accent equal the precomposed letter', async () => {
    const suffix = uniqueEmail('x').split('@')[0]!;
    expect((await register(`jos\u00E9-${suffix}@example.com`)).errors).toBeUndefined();
    const decomposed = await register(`jose\u0301-${suffix}@example.com`);
    expect(decomposed.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('names', () => {
  it.each([
    ['zero-width spaces', '\u200B\u200B'],
    ['a Hangul filler', '\u3164'],
    ['combining marks only', '\u0301\u0302'],
  ])('refuses a user name of %s', async (_what, name) => {
    const result = await register(uniqueEmail(), { name });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('refuses an account name of invisible characters', async () => {
    const user = await registerUser(server.client());
    const result = await server
      .client(user.accessToken)
      .request('mutation ($input: CreateAccountInput!) { createAccount(input: $input) { id } }', {
        input: { name: '\u200B \u2060', type: 'CASH' },
      });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
  });
});
