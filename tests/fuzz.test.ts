/**
 * Schema-driven fuzzing: for every field of Query and Mutation in schema.graphql, fast-check
 * generates arguments from their GraphQL types (valid values mixed with edge and malformed ones)
 * and a selection set from the return type (nested fields with arguments included), and sends
 * them to the real server as user A, without a token, or with a bad one. Every response must
 * hold (see helpers/fuzz/checks.ts): status < 500, no INTERNAL_SERVER_ERROR, only the contract's
 * error codes, no data without a valid token (but for register, login and refreshToken), and
 * none of user B's ids in A's data. At the end the ledger must have no balance drift.
 *
 * FUZZ_SEED (printed) replays a run; FUZZ_RUNS is the number of requests per operation.
 * FUZZ_KEEP_GOING=1 does not stop an operation at its first failure (and does not shrink): it
 * lists every distinct failure with its shortest example, to survey a defect class.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { buildSchema, type GraphQLField, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBalanceDrift, findTotalsDrift } from '../src/modules/ledger/verify.js';
import { replyProblems } from './helpers/fuzz/checks.js';
import { FailureLog, type Failure } from './helpers/fuzz/failures.js';
import { describeRequest, render, requestArb, type FuzzRequest } from './helpers/fuzz/operation.js';
import { FuzzStats } from './helpers/fuzz/stats.js';
import { post, ServerLog } from './helpers/fuzz/transport.js';
import { FuzzWorld } from './helpers/fuzz/world.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { scaled, timeoutFor } from './helpers/scale.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_601);
// 100 per operation keeps the file near a minute and a half now that there are 57 operations.
const RUNS = Number(process.env.FUZZ_RUNS ?? scaled(100));
const KEEP_GOING = process.env.FUZZ_KEEP_GOING === '1';
/** Per operation: a request rarely takes 50 ms; shrinking a failure re-sends many. */
const TIMEOUT = timeoutFor(RUNS, 1_500);

interface Operation {
  root: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
}

const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
const fieldsOf = (root: Operation['root'], type: GraphQLObjectType | null | undefined): Operation[] =>
  Object.values(type?.getFields() ?? {}).map((field) => ({ root, field }));

/** In this order: changePassword can end every session, logout some. */
const SESSION_OPERATIONS = ['register', 'login', 'refreshToken', 'logout', 'changePassword'];

/**
 * Reads first, while A's data is as seeded; then writes; deletes late (they consume A's data,
 * which FuzzWorld.refresh tops up); the operations that can disturb A's session last.
 */
function rank({ root, field }: Operation): number {
  if (root === 'query') return 0;
  if (SESSION_OPERATIONS.includes(field.name)) return 4 + SESSION_OPERATIONS.indexOf(field.name) / 10;
  if (field.name.startsWith('delete')) return 3;
  return field.name.startsWith('create') ? 1 : 2;
}

const operations = [
  ...fieldsOf('query', schema.getQueryType()),
  ...fieldsOf('mutation', schema.getMutationType()),
].sort((x, y) => rank(x) - rank(y));

let server: TestServer;
let world: FuzzWorld;
const log = new ServerLog();
const stats = new FuzzStats();

beforeAll(async () => {
  console.log(
    `fuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} over ${operations.length} operations` +
      (KEEP_GOING ? ' (FUZZ_KEEP_GOING)' : ''),
  );
  // TRUST_PROXY: see post() in helpers/fuzz/transport.ts.
  server = await startTestServer({ trustProxy: true }, { log: log.logger });
  world = new FuzzWorld(server);
  await world.setUp();
}, 120_000);

afterAll(async () => {
  console.log(stats.summary());
  if (world?.notes.length) console.log(`A's session:\n  ${[...new Set(world.notes)].join('\n  ')}`);
  await server?.close();
});

/** Sends one request; a failure when a rule is broken (see helpers/fuzz/checks.ts). */
async function exercise(operation: string, request: FuzzRequest): Promise<Failure | undefined> {
  const { document, variables } = render(request);
  log.reset();
  const from = { token: world.tokenFor(request.auth), ip: world.ip };
  const reply = await post(server.url, from, document, variables);
  const cause = log.causes().join(' | ');
  const problems = replyProblems({ operation, auth: request.auth, reply, foreignIds: world.foreignIds });
  if (request.auth === 'A') {
    const sessionProblem = await world.afterRequest(request, reply);
    if (sessionProblem) problems.push(sessionProblem);
  }
  stats.record(operation, reply);
  if (problems.length === 0) return undefined;
  const headline = `${operation}: ${problems.join('; ')}`;
  const rows = await world.describeIds(`${document} ${JSON.stringify(variables)}`);
  const report = [
    headline,
    describeRequest(request),
    `response: HTTP ${reply.status} ${(reply.body ? JSON.stringify(reply.body) : reply.text).slice(0, 2000)}`,
    `server log: ${cause || '(nothing)'}`,
    ...(rows.length ? [`rows named: ${rows.join('; ')}`] : []),
  ].join('\n');
  return { headline, cause, report };
}

describe('schema-driven fuzz', () => {
  for (const [index, { root, field }] of operations.entries()) {
    const name = field.name;
    it(
      `${root} ${name}`,
      async () => {
        // refreshToken and logout need unused refresh tokens of A's to reach their success paths.
        await world.refresh({ refreshTokens: ['refreshToken', 'logout'].includes(name) ? 4 : 0 });
        const failures = new FailureLog();
        const arbitrary = requestArb(root, field, { pools: world.pools() });
        const property = fc.asyncProperty(arbitrary, async (request) => {
          const failure = await exercise(name, request);
          if (failure && !KEEP_GOING) throw new Error(failure.report);
          if (failure) failures.add(failure);
        });
        await fc.assert(property, { seed: SEED + index, numRuns: RUNS });
        const summary = failures.summary();
        if (summary) expect.fail(summary);
      },
      TIMEOUT,
    );
  }

  it('leaves no balance drift in the ledger', async () => {
    expect(await findBalanceDrift(server.app.orm.em.fork())).toEqual([]);
    expect(await findTotalsDrift(server.app.orm.em.fork())).toEqual([]);
  });
});
