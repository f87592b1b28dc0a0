// `npm run dev`: the server restarted on every change, with readable logs. TypeScript recompiles
// what changed into dist/ (tsc --watch) and Node restarts the server when dist/ changes (node
// --watch). The page (src/web) is bundled at start; after editing it, restart dev or run build.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const children = [];
let stopping = false;

function start(args, options = {}) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', ...options });
  children.push(child);
  // One ending by itself ends the others: a dev session is both or neither. (When stopping, each
  // got the signal already; a second one would cut the server's clean stop short.)
  child.on('exit', (code) => {
    if (!stopping)
      for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
    process.exitCode = code ?? 0;
  });
  return child;
}

// A full build first if anything changed (schema.graphql, the page), so dist/ is whole.
const built = spawn(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale'], {
  cwd: root,
  stdio: 'inherit',
});
const code = await new Promise((resolve) => built.on('exit', resolve));
if (code !== 0) process.exit(code ?? 1);

start([
  join(root, 'node_modules/typescript/bin/tsc'),
  '-p',
  'tsconfig.build.json',
  '--watch',
  '--preserveWatchOutput',
]);
start(['--watch', '--watch-preserve-output', 'dist/src/main.js'], {
  env: { ...process.env, LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' },
});

// Ctrl-C reaches every process of the terminal's group; a plain `kill` of this one is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill(signal);
  });
}
