import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/auth/access-tokens.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { BAD_USER_INPUT, CONFLICT, UNAUTHENTICATED } from './helpers/error-codes.js';
import { CHANGE_PASSWORD, LOGIN, LOGOUT, ME, REFRESH_TOKEN, REGISTER } from './helpers/operations.js';
import { registerUser, uniqueEmail } from './helpers/users.js';

const JWT_SECRET = 'a test secret that is long enough for HS256 use';

let server: TestServer;
/** The server's clock runs this many ms ahead of the wall clock: expiry is tested by moving it. */
let offset = 0;

beforeAll(async () => {
  server = await startTestServer({ jwtSecret: JWT_SECRET }, { clock: { now: () => Date.now() + offset } });
});

/** Runs `check` with the server's clock `seconds` ahead, then puts it back. */
async function later(seconds: number, check: () => Promise<void>): Promise<void> {
  offset = seconds * 1000;
  try {
    await check();
  } finally {
    offset = 0;
  }
}
afterAll(() => server?.close());

describe('register', () => {
  it('registers, normalizes the email and returns working tokens', async () => {
    const local = `Mixed.Case-${Date.now()}`;
    const data = await server.client().data(REGISTER, {
      input: { email: `  ${local}@Example.COM `, password: 'password123', name: ' Ann ' },
    });
    expect(data.register.user.email).toBe(`${local.toLowerCase()}@example.com`);
    expect(data.register.user.name).toBe('Ann');
    expect(data.register.user.currency).toBe('USD');
    expect(data.register.expiresIn).toBe(server.config.accessTokenTtl);
    expect(data.register.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await server.client(data.register.accessToken).data(ME);
    expect(me.me.id).toBe(data.register.user.id);
  });

  it('refuses an email already registered in another case or with spaces (CONFLICT)', async () => {
    const email = uniqueEmail();
    await registerUser(server.client(), { email });
    const result = await server
      .client()
      .request(REGISTER, { input: { email: ` ${email.toUpperCase()} `, password: 'password123' } });
    expect(result.errors?.[0]?.extensions?.code).toBe(CONFLICT);
  });

  it('refuses passwords outside 8..72 bytes of UTF-8, never truncating', async () => {
    const register = (password: string) =>
      server.client().request(REGISTER, { input: { email: uniqueEmail(), password } });
    // 71 ASCII bytes + one 2-byte character = 73 bytes, though only 72 characters.
    const tooLong = await register(`${'a'.repeat(71)}é`);
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: BAD_USER_INPUT, field: 'password' });
    const tooShort = await register('1234567');
    expect(tooShort.errors?.[0]?.extensions).toMatchObject({ code: BAD_USER_INPUT, field: 'password' });
    expect((await register(`${'a'.repeat(70)}é`)).errors).toBeUndefined(); // exactly 72 bytes
  });

  it.each([
    ['a bad email', { email: 'not-an-email' }, 'email'],
    ['an unknown currency', { currency: 'XYZ' }, 'currency'],
    ['a NUL byte in the name', { name: 'a\u0000b' }, 'name'],
    ['a name of 10,000 characters', { name: 'n'.repeat(10_000) }, 'name'],
  ])('refuses %s with the field named', async (_case, override: Record<string, unknown>, field) => {
    const input = { email: uniqueEmail(), password: 'password123', ...override };
    const result = await server.client().request(REGISTER, { input });
    expect(result.errors?.[0]?.extensions, field).toEqual({ code: BAD_USER_INPUT, field });
    expect(result.data ?? null).toBeNull();
  });
});

describe('login', () => {
  it('logs in with the email in any case', async () => {
    const user = await registerUser(server.client());
    const data = await server
      .client()
      .data(LOGIN, { input: { email: ` ${user.email.toUpperCase()}`, password: user.password } });
    expect(data.login.user.id).toBe(user.id);
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const user = await registerUser(server.client());
    const wrongPassword = await server
      .client()
      .request(LOGIN, { input: { email: user.email, password: 'wrong password' } });
    const unknownEmail = await server
      .client()
      .request(LOGIN, { input: { email: uniqueEmail(), password: 'wrong password' } });
    expect(wrongPassword.errors).toHaveLength(1);
    expect(wrongPassword.errors).toEqual(unknownEmail.errors);
    expect(wrongPassword.errors?.[0]?.extensions?.code).toBe(UNAUTHENTICATED);
  });
});

describe('access tokens', () => {
  const sign = (claims: { sub: string; iss?: string; aud?: string; exp?: number }, alg = 'HS256') =>
    new SignJWT({})
      .setProtectedHeader({ alg })
      .setSubject(claims.sub)
      .setIssuer(claims.iss ?? TOKEN_ISSUER)
      .setAudience(claims.aud ?? TOKEN_AUDIENCE)
      .setIssuedAt()
      .setJti('test')
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(new TextEncoder().encode(JWT_SECRET));

  it('accepts a well-formed token signed with the server secret (control)', async () => {
    const user = await registerUser(server.client());
    const me = await server.client(await sign({ sub: user.id })).data(ME);
    expect(me.me.id).toBe(user.id);
  });

  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    [
      'alg none',
      async (sub: string) =>
        `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
          sub,
          iss: TOKEN_ISSUER,
          aud: TOKEN_AUDIENCE,
          iat: now(),
          exp: now() + 600,
          jti: 'x',
        })}.`,
    ],
    ['another algorithm (HS512)', (sub: string) => sign({ sub }, 'HS512')],
    ['a wrong audience', (sub: string) => sign({ sub, aud: 'another-api' })],
    ['a wrong issuer', (sub: string) => sign({ sub, iss: 'someone-else' })],
    ['an expired token', (sub: string) => sign({ sub, exp: now() - 5 })],
    ['not a JWT', async () => 'not a jwt'],
  ])('rejects %s', async (_case, token) => {
    const user = await registerUser(server.client());
    const jwt = await token(user.id);
    expect(await server.client(jwt).errorCode(ME), jwt).toBe(UNAUTHENTICATED);
  });

  it('expires access tokens after ACCESS_TOKEN_TTL', async () => {
    const user = await registerUser(server.client());
    const ttl = server.config.accessTokenTtl;
    await later(ttl - 5, async () => {
      expect((await server.client(user.accessToken).data(ME)).me.id).toBe(user.id);
    });
    await later(ttl + 1, async () => {
      expect(await server.client(user.accessToken).errorCode(ME)).toBe(UNAUTHENTICATED);
    });
  });

  it.each([
    ['me', ME, undefined],
    ['logout', LOGOUT, { t: 'x' }],
    ['updateProfile', 'mutation { updateProfile(input: { name: "x" }) { id } }', undefined],
  ])(
    'requires a token for %s (for everything but register, login and refreshToken)',
    async (_name, query, variables) => {
      expect(await server.client().errorCode(query, variables)).toBe(UNAUTHENTICATED);
    },
  );
});

describe('refresh tokens', () => {
  it('rotates: the new token works once, the old one no longer', async () => {
    const user = await registerUser(server.client());
    const first = await server.client().data(REFRESH_TOKEN, { t: user.refreshToken });
    expect(first.refreshToken.user.id).toBe(user.id);
    expect(first.refreshToken.refreshToken).not.toBe(user.refreshToken);
    expect((await server.client(first.refreshToken.accessToken).data(ME)).me.id).toBe(user.id);
    const second = await server.client().data(REFRESH_TOKEN, { t: first.refreshToken.refreshToken });
    expect(second.refreshToken.user.id).toBe(user.id);
  });

  it('revokes the whole family when a rotated token is reused after the reuse grace', async () => {
    const user = await registerUser(server.client());
    const rotated = await server.client().data(REFRESH_TOKEN, { t: user.refreshToken });
    const current = rotated.refreshToken.refreshToken;
    await later(server.config.refreshReuseGrace + 1, async () => {
      const reuse = await server.client().request(REFRESH_TOKEN, { t: user.refreshToken });
      expect(reuse.errors?.[0]?.extensions).toEqual({ code: UNAUTHENTICATED, reason: 'REFRESH_REVOKED' });
      // The token that was current when the theft showed is dead too.
      expect(await server.client().errorCode(REFRESH_TOKEN, { t: current })).toBe(UNAUTHENTICATED);
    });
  });

  it('gives two refreshes with one token at once the same new pair (two tabs), and the session goes on', async () => {
    const user = await registerUser(server.client());
    const [a, b] = await Promise.all([
      server.client().data(REFRESH_TOKEN, { t: user.refreshToken }),
      server.client().data(REFRESH_TOKEN, { t: user.refreshToken }),
    ]);
    expect(a.refreshToken.refreshToken).toBe(b.refreshToken.refreshToken);
    expect((await server.client(b.refreshToken.accessToken).data(ME)).me.id).toBe(user.id);
    const next = await server.client().data(REFRESH_TOKEN, { t: a.refreshToken.refreshToken });
    expect(next.refreshToken.user.id).toBe(user.id);
  });

  it('answers a rotated token within the reuse grace with its successor, after it with revocation', async () => {
    const user = await registerUser(server.client());
    const rotated = await server.client().data(REFRESH_TOKEN, { t: user.refreshToken });
    const successor = rotated.refreshToken.refreshToken;
    await later(server.config.refreshReuseGrace - 1, async () => {
      const again = await server.client().data(REFRESH_TOKEN, { t: user.refreshToken });
      expect(again.refreshToken.refreshToken).toBe(successor);
    });
    await later(server.config.refreshReuseGrace + 1, async () => {
      expect(await server.client().errorCode(REFRESH_TOKEN, { t: user.refreshToken })).toBe(UNAUTHENTICATED);
      expect(await server.client().errorCode(REFRESH_TOKEN, { t: successor })).toBe(UNAUTHENTICATED);
    });
  });

  it('revokes the family when a rotated token comes back after its successor was used, even within the grace', async () => {
    const user = await registerUser(server.client());
    const first = await server.client().data(REFRESH_TOKEN, { t: user.refreshToken });
    const second = await server.client().data(REFRESH_TOKEN, { t: first.refreshToken.refreshToken });
    expect(await server.client().errorCode(REFRESH_TOKEN, { t: user.refreshToken })).toBe(UNAUTHENTICATED);
    expect(await server.client().errorCode(REFRESH_TOKEN, { t: second.refreshToken.refreshToken })).toBe(
      UNAUTHENTICATED,
    );
  });

  it('gives nothing within the grace once the family was logged out', async () => {
    const user = await registerUser(server.client());
    const rotated = await server.client().data(REFRESH_TOKEN, { t: user.refreshToken });
    await server.client(user.accessToken).data(LOGOUT, { t: rotated.refreshToken.refreshToken });
    expect(await server.client().errorCode(REFRESH_TOKEN, { t: user.refreshToken })).toBe(UNAUTHENTICATED);
  });

  it('keeps other families (other logins) alive when one family is revoked', async () => {
    const user = await registerUser(server.client());
    const otherLogin = await server
      .client()
      .data(LOGIN, { input: { email: user.email, password: user.password } });
    await server.client().data(REFRESH_TOKEN, { t: user.refreshToken });
    await later(server.config.refreshReuseGrace + 1, async () => {
      await server.client().request(REFRESH_TOKEN, { t: user.refreshToken }); // reuse: revokes family 1
      const stillWorks = await server.client().data(REFRESH_TOKEN, { t: otherLogin.login.refreshToken });
      expect(stillWorks.refreshToken.user.id).toBe(user.id);
    });
  });

  it('answers UNAUTHENTICATED for an unknown token', async () => {
    expect(await server.client().errorCode(REFRESH_TOKEN, { t: 'made-up-token' })).toBe(UNAUTHENTICATED);
  });

  it('logout revokes the family; another user cannot log out my token', async () => {
    const user = await registerUser(server.client());
    const other = await registerUser(server.client());
    expect((await server.client(other.accessToken).data(LOGOUT, { t: user.refreshToken })).logout).toBe(
      false,
    );
    const rotated = await server.client().data(REFRESH_TOKEN, { t: user.refreshToken });
    const current = rotated.refreshToken.refreshToken;
    expect((await server.client(user.accessToken).data(LOGOUT, { t: current })).logout).toBe(true);
    expect(await server.client().errorCode(REFRESH_TOKEN, { t: current })).toBe(UNAUTHENTICATED);
  });

  it('expires after REFRESH_TOKEN_TTL', async () => {
    const user = await registerUser(server.client());
    await later(server.config.refreshTokenTtl + 1, async () => {
      expect(await server.client().errorCode(REFRESH_TOKEN, { t: user.refreshToken })).toBe(UNAUTHENTICATED);
    });
  });
});

describe('profile and password', () => {
  it('updates name and currency, keeping fields left out', async () => {
    const user = await registerUser(server.client(), { name: 'Before' });
    const client = server.client(user.accessToken);
    const updated = await client.data(
      'mutation { updateProfile(input: { currency: "eur" }) { name currency } }',
    );
    expect(updated.updateProfile).toEqual({ name: 'Before', currency: 'EUR' });
    const renamed = await client.data(
      'mutation { updateProfile(input: { name: "After" }) { name currency } }',
    );
    expect(renamed.updateProfile).toEqual({ name: 'After', currency: 'EUR' });
    const bad = await client.request('mutation { updateProfile(input: { currency: "EURO" }) { name } }');
    expect(bad.errors?.[0]?.extensions).toEqual({ code: BAD_USER_INPUT, field: 'currency' });
  });

  it('changePassword checks the current password and revokes every refresh token', async () => {
    const user = await registerUser(server.client());
    const secondLogin = await server
      .client()
      .data(LOGIN, { input: { email: user.email, password: user.password } });
    const client = server.client(user.accessToken);

    const wrong = await client.request(CHANGE_PASSWORD, { c: 'not my password', n: 'new password 1' });
    expect(wrong.errors?.[0]?.extensions).toEqual({ code: BAD_USER_INPUT, field: 'currentPassword' });
    const weak = await client.request(CHANGE_PASSWORD, { c: user.password, n: 'short' });
    expect(weak.errors?.[0]?.extensions).toEqual({ code: BAD_USER_INPUT, field: 'newPassword' });

    expect(
      (await client.data(CHANGE_PASSWORD, { c: user.password, n: 'new password 1' })).changePassword,
    ).toBe(true);
    for (const token of [user.refreshToken, secondLogin.login.refreshToken]) {
      expect(await server.client().errorCode(REFRESH_TOKEN, { t: token })).toBe(UNAUTHENTICATED);
    }
    expect(
      await server.client().errorCode(LOGIN, { input: { email: user.email, password: user.password } }),
    ).toBe(UNAUTHENTICATED);
    const relogin = await server
      .client()
      .data(LOGIN, { input: { email: user.email, password: 'new password 1' } });
    expect(relogin.login.user.id).toBe(user.id);
  });
});

describe('extensions.reason of UNAUTHENTICATED: what helps', () => {
  const reasonOf = async (client: ReturnType<TestServer['client']>, query: string, variables = {}) => {
    const result = await client.request(query, variables);
    expect(result.errors?.[0]?.extensions?.code).toBe(UNAUTHENTICATED);
    return result.errors?.[0]?.extensions?.reason;
  };

  it('TOKEN_MISSING without a token, TOKEN_INVALID for a forged or garbled one', async () => {
    expect(await reasonOf(server.client(), ME)).toBe('TOKEN_MISSING');
    expect(await reasonOf(server.client('not.a.jwt'), ME)).toBe('TOKEN_INVALID');
    const forged = await new SignJWT({ sid: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('00000000-0000-4000-8000-000000000000')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .setJti('j')
      .sign(new TextEncoder().encode('some other secret that is long enough'));
    expect(await reasonOf(server.client(forged), ME)).toBe('TOKEN_INVALID');
  });

  it('TOKEN_EXPIRED for a genuine token past its time (a refresh helps), verified before or not', async () => {
    const user = await registerUser(server.client());
    expect((await server.client(user.accessToken).data(ME)).me.id).toBe(user.id);
    await later(server.config.accessTokenTtl + 1, async () => {
      expect(await reasonOf(server.client(user.accessToken), ME)).toBe('TOKEN_EXPIRED');
      const fresh = await registerUser(server.client());
      await later(server.config.accessTokenTtl * 2 + 2, async () => {
        expect(await reasonOf(server.client(fresh.accessToken), ME)).toBe('TOKEN_EXPIRED');
      });
    });
  });

  it('BAD_CREDENTIALS for a wrong login, REFRESH_REVOKED for an unusable refresh token', async () => {
    const user = await registerUser(server.client());
    expect(
      await reasonOf(server.client(), LOGIN, { input: { email: user.email, password: 'wrong-password' } }),
    ).toBe('BAD_CREDENTIALS');
    expect(await reasonOf(server.client(), REFRESH_TOKEN, { t: 'made-up-token' })).toBe('REFRESH_REVOKED');
  });
});
