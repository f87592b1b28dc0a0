// Regenerates docs/dashboard.png: starts the server on a throw-away embedded database, seeds the
// demo data through the API, signs in on the page in headless Chromium and takes a screenshot.
// Usage: npm run screenshot (needs Debian's chromium at /usr/bin/chromium).
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { bootstrap } from '../server.js';
import { launchChromium } from './chromium.js';
import { seedDemo } from './demo-data.js';

const dataDir = await mkdtemp(join(tmpdir(), 'ledgerline-screenshot-'));
const server = await bootstrap({
  config: { ...loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', BCRYPT_COST: '4' }), dataDir },
});
const browser = await launchChromium();
try {
  const demo = await seedDemo(server.url);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(new URL('/', server.url).toString());
  await page.fill('input[name=email]', demo.email);
  await page.fill('input[name=password]', demo.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('body[data-ready=true]');
  await page.waitForTimeout(800); // let the charts finish their entry animation
  const output = new URL('../../../docs/dashboard.png', import.meta.url);
  await page.screenshot({ path: output.pathname, fullPage: true });
  console.log(`Wrote ${output.pathname}`);
} finally {
  await browser.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
