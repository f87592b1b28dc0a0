// `npm run build`: compile the server (tsc, incremental), emit schema.graphql, bundle the page.
// `--if-stale` (npm start and the scripts that run dist/): does nothing when dist/ was built from the
// sources as they are now, so a second `npm start` goes straight to the server. Whether they
// changed is a hash of every input's path, size and modification time, kept in dist/.build-inputs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb } from './build-web.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist/.build-inputs');
const INPUT_DIRS = ['src', 'migrations', 'bench', 'scripts'];
const INPUT_FILES = ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

function inputsHash() {
  const hash = createHash('sha256');
  const add = (path) => {
    const stat = statSync(path);
    hash.update(`${relative(root, path)}\0${stat.size}\0${stat.mtimeMs}\n`);
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) add(path);
    }
  };
  for (const dir of INPUT_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir));
  for (const file of INPUT_FILES) if (existsSync(join(root, file))) add(join(root, file));
  return hash.digest('hex');
}

/** Runs a node script from the repository root; on failure prints what it said and exits 1. */
function run(label, args) {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    console.error(`Build failed: ${label}${result.error ? ` (${result.error.message})` : ''}.`);
    process.exit(1);
  }
}

const ifStale = process.argv.includes('--if-stale');
const hash = inputsHash();
if (ifStale && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) process.exit(0);

const started = Date.now();
if (ifStale) {
  const first = !existsSync(join(root, 'dist/src/main.js'));
  console.error(
    first
      ? 'Building Ledgerline for the first run (about a minute; later starts only rebuild what changed)…'
      : 'Sources changed: rebuilding…',
  );
}
run('TypeScript compile (npm run typecheck shows the errors with context)', [
  join(root, 'node_modules/typescript/bin/tsc'),
  '-p',
  'tsconfig.build.json',
]);
run('emitting schema.graphql', ['dist/src/scripts/emit-schema.js']);
await buildWeb();
writeFileSync(STAMP, hash);
if (ifStale) console.error(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
