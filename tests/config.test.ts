import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('config', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      dataDir: './.data',
      accessTokenTtl: 900,
      refreshTokenTtl: 30 * 24 * 3600,
      bcryptCost: 12,
      authRateLimit: 30,
      trustProxy: false,
      corsOrigins: [],
      maxQueryCost: 20_000,
      exportsPerUser: 2,
      httpRequestTimeout: 30,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('parses durations, booleans and lists', () => {
    const config = loadConfig({
      ACCESS_TOKEN_TTL: '2h',
      TRUST_PROXY: 'true',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(config.accessTokenTtl).toBe(7200);
    expect(config.trustProxy).toBe(true);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid setting PORT: /],
    [{ ACCESS_TOKEN_TTL: 'soon' }, /^Invalid setting ACCESS_TOKEN_TTL: /],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /^Invalid setting DATABASE_URL: /],
    [{ NODE_ENV: 'production' }, /^Invalid setting JWT_SECRET: /],
    [{ NODE_ENV: 'production', JWT_SECRET: 'too short' }, /^Invalid setting JWT_SECRET: /],
  ])('names the bad variable in one line: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('accepts production with a long enough JWT_SECRET', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) }).nodeEnv).toBe('production');
  });
});
