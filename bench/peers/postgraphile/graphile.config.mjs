// PostGraphile 5 as the benchmark's peer: the stock Amber preset with simplified names, on the
// same database, production mode (set GRAPHILE_ENV=production), localhost only.
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { PgSimplifyInflectionPreset } from '@graphile/simplify-inflection';

export default {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'] })],
  grafserv: { port: Number(process.env.PORT), host: '127.0.0.1', watch: false },
};
