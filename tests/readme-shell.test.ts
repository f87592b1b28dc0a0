/**
 * The README's shell examples, run top to bottom in bash as a reader would, against a real
 * server: once today, and once with `date` saying it is New Year's Day (the first day of a
 * month and of a year, where "this month" and "this year" hold nothing but what the examples add).
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/server.js';

const ROOT = resolve(import.meta.dirname, '..');

/** The ```sh blocks from "A first session" up to "The dashboard page", in order. */
async function walkthrough(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const part = readme.slice(readme.indexOf('## A first session'), readme.indexOf('## The dashboard page'));
  const blocks = [...part.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  expect(blocks.length).toBeGreaterThan(8);
  return blocks.join('\n');
}

/** Runs `script` in bash (stops at the first failing command); its exit code and output. */
function bash(script: string, cwd: string, path: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', ['-euo', 'pipefail', '-c', script], {
    cwd,
    env: { PATH: path, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  return new Promise((done) => child.once('close', (code) => done({ code, output })));
}

describe('README shell examples', () => {
  for (const day of [undefined, '2027-01-01']) {
    it(`run top to bottom ${day ? `on ${day}` : 'today'}`, async () => {
      const server = await startTestServer();
      const cwd = await mkdtemp(join(tmpdir(), 'ledgerline-readme-'));
      try {
        let path = process.env.PATH ?? '';
        if (day) {
          // A `date` that answers for `day` whatever format it is asked for.
          await writeFile(join(cwd, 'date'), `#!/bin/sh\nexec /bin/date -d ${day} "$@"\n`);
          await chmod(join(cwd, 'date'), 0o755);
          path = `${cwd}:${path}`;
        }
        const origin = new URL(server.url).origin;
        const script = (await walkthrough())
          .replaceAll('http://localhost:4000', origin)
          .replaceAll('node examples/', `node ${ROOT}/examples/`)
          .replaceAll(/(?<=[\s@(])examples\/import\//g, `${ROOT}/examples/import/`);
        const { code, output } = await bash(script, cwd, path);
        expect(code, output).toBe(0);
        const today = day ?? new Date().toISOString().slice(0, 10);
        // The alert the examples cross, the list with today's market expense, the export file.
        expect(output).toContain('"threshold": 50');
        expect(output).toContain(`"date": "${today}"`);
        expect(output).toContain('"read": true');
        // The coffee rule filled in the new transaction's category and tag.
        expect(output).toMatch(/"category": \{\s*"name": "Dining"\s*\},\s*"tags": \[\s*"coffee"\s*\]/);
        // The import examples: the CSV's 15 rows created; the OFX's 10 once, then recognised, then undone.
        expect(output).toContain('"newCount": 15');
        expect(output).toContain('"createdCount": 15');
        expect(output).toContain('"createdCount":10,"duplicateCount":0');
        expect(output).toContain('"createdCount":0,"duplicateCount":10');
        expect(output).toMatch(/"undoneAt": "\d{4}-/);
        // The recurring examples: an occurrence edited, another skipped.
        expect(output).toContain('"edited": true');
        expect(output).toContain('"skipped": true');
        const file = (await readdir(cwd)).find((name) => /^transactions-.*\.csv$/.test(name));
        expect(file, output).toBeDefined();
        expect(await readFile(join(cwd, file!), 'utf8')).toContain('"Market"');
      } finally {
        await server.close();
        await rm(cwd, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
