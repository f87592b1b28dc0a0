// Bundles the pages into dist/web, everything from npm and nothing from a CDN:
// - the dashboard (src/web): app.js (with Chart.js and graphql-ws), index.html and styles.css;
// - GraphiQL (src/web/graphiql), served at /graphiql: graphiql/graphiql.js (React, GraphiQL,
//   graphql-ws), graphiql/graphiql.css (its fonts inlined) and graphiql/index.html.
// Run by `npm run build`; the tests call buildWeb().
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
  write: false,
  // React picks its production build by this; a browser has no process.env of its own.
  define: { 'process.env.NODE_ENV': '"production"' },
};

/**
 * Replaces a file in one step (write aside, then rename), so a server reading dist/web while
 * another build runs (two test files at once) never serves half a file.
 */
let serial = 0;
async function replaceFile(path, contents) {
  const aside = `${path}.${process.pid}-${serial++}.tmp`;
  await writeFile(aside, contents);
  await rename(aside, path);
}

async function bundle(entry, outfile) {
  const { outputFiles } = await build({ ...common, entryPoints: [join(root, entry)], outfile });
  await Promise.all(outputFiles.map((file) => replaceFile(file.path, file.contents)));
}

const copy = async (from, to) => replaceFile(to, await readFile(join(root, from)));

export async function buildWeb(outdir = join(root, 'dist/web')) {
  const graphiqlDir = join(outdir, 'graphiql');
  await mkdir(graphiqlDir, { recursive: true });
  await Promise.all([
    bundle('src/web/app.ts', join(outdir, 'app.js')),
    bundle('src/web/graphiql/main.ts', join(graphiqlDir, 'graphiql.js')),
    bundle('src/web/graphiql/graphiql.css', join(graphiqlDir, 'graphiql.css')),
    copy('src/web/index.html', join(outdir, 'index.html')),
    copy('src/web/styles.css', join(outdir, 'styles.css')),
    copy('src/web/graphiql/index.html', join(graphiqlDir, 'index.html')),
  ]);
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWeb();
