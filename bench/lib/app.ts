import { fileURLToPath } from 'node:url';
import { freePort, startService, type Service } from './processes.js';

/** Every benchmark user's password. */
export const PASSWORD = 'benchmark password';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));

/**
 * Ledgerline as it runs in production (built, NODE_ENV=production), on `databaseUrl`. Logging at
 * warn: the peers log no access lines either. Tokens live long enough for a whole run.
 */
export async function startApp(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
  nodeArgs: string[] = [],
): Promise<Service> {
  const port = await freePort();
  return startService({
    name: 'Ledgerline',
    command: process.execPath,
    args: [...nodeArgs, MAIN],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      JWT_SECRET: 'benchmark-secret-benchmark-secret-benchmark',
      ACCESS_TOKEN_TTL: '6h',
      LOG_LEVEL: 'warn',
      ...env,
    },
    url: `http://127.0.0.1:${port}/readyz`, // 200 once migrated and serving (503 while starting)
  }).then((service) => ({ ...service, url: `http://127.0.0.1:${port}/graphql` }));
}

/** One GraphQL request; throws on any error so a scenario never measures a failure. */
export async function gql<T>(url: string, query: string, variables: object = {}, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function login(url: string, email: string): Promise<string> {
  const { login } = await gql<{ login: { accessToken: string } }>(
    url,
    'mutation ($i: LoginInput!) { login(input: $i) { accessToken } }',
    { i: { email, password: PASSWORD } },
  );
  return login.accessToken;
}
