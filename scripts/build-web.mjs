// Bundles the dashboard page (src/web) into dist/web: app.js (with Chart.js and graphql-ws from
// npm, no CDN), index.html and styles.css. Run by `npm run build`; the tests call buildWeb().
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildWeb(outdir = join(root, 'dist/web')) {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [join(root, 'src/web/app.ts')],
    outfile: join(outdir, 'app.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  await copyFile(join(root, 'src/web/index.html'), join(outdir, 'index.html'));
  await copyFile(join(root, 'src/web/styles.css'), join(outdir, 'styles.css'));
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWeb();
