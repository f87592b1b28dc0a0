import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../scripts/build-web.mjs';
import { graphiqlPage } from '../src/http/graphiql-page.js';
import { CHROMIUM_PATH, launchChromium } from '../src/scripts/chromium.js';
import { createBudget } from './helpers/budgets.js';
import { createAccount, createTransaction } from './helpers/ledger.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { registerUser } from './helpers/users.js';

// GraphiQL at /graphiql, bundled from npm: it must work with no network but this server's, under
// a CSP without 'unsafe-inline'. Real Chromium (Debian's), skipped where there is none unless
// REQUIRE_BROWSER=1, as in dashboard-page.test.ts.
const HAVE_BROWSER = existsSync(CHROMIUM_PATH) || process.env.REQUIRE_BROWSER === '1';

let server: TestServer;
beforeAll(async () => {
  await buildWeb();
  server = await startTestServer();
}, 120_000);
afterAll(() => server?.close());

const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

describe('GET /graphiql', () => {
  it('serves the page with a fresh style nonce and no inline script, style or other origin', async () => {
    const first = await fetch(`${server.origin}/graphiql`);
    expect(first.status).toBe(200);
    const csp = first.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const html = await first.text();
    const nonce = nonceOf(csp);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style/);
    expect(html).not.toMatch(/https?:\/\//);
    const second = await fetch(`${server.origin}/graphiql`);
    expect(nonceOf(second.headers.get('content-security-policy') ?? '')).not.toBe(nonce);

    for (const asset of ['graphiql.js', 'graphiql.css']) {
      const response = await fetch(`${server.origin}/graphiql/assets/${asset}`);
      expect(response.status).toBe(200);
      expect(await response.text()).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)[^\s"')]*\.(css|js|woff2?)\b/);
    }
  });

  it('answers 503 while GraphiQL is not built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'ledgerline-graphiql-'));
    const app = express().use(graphiqlPage(empty));
    const listening = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listening.once('listening', resolve));
    try {
      const { port } = listening.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/graphiql`);
      expect(response.status).toBe(503);
      expect(await response.text()).toMatch(/npm run build/);
    } finally {
      listening.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAVE_BROWSER)('GraphiQL in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(() => browser?.close());

  // CodeMirror 5 hangs its instance on its element; these run in the page, so each casts inline.
  type Editor = {
    setValue(v: string): void;
    getValue(): string;
    documentAST?: { loc?: { source: { body: string } } };
  };

  async function setEditor(page: Page, selector: string, text: string): Promise<void> {
    await page.$eval(
      selector,
      (element, value) => (element as unknown as { CodeMirror: Editor }).CodeMirror.setValue(value),
      text,
    );
  }

  /**
   * Sets the query, then waits for GraphiQL to parse it (it does so 100 ms after an edit): run
   * earlier, it would send the previous document's facts, e.g. a subscription over HTTP.
   */
  async function setQuery(page: Page, text: string): Promise<void> {
    const selector = '.graphiql-query-editor .CodeMirror';
    await setEditor(page, selector, text);
    await expect
      .poll(() =>
        page.$eval(
          selector,
          (element) =>
            (element as unknown as { CodeMirror: Editor }).CodeMirror.documentAST?.loc?.source.body,
        ),
      )
      .toBe(text);
  }
  const response = (page: Page) =>
    page.$eval('.result-window .CodeMirror', (element) =>
      (element as unknown as { CodeMirror: Editor }).CodeMirror.getValue(),
    );

  it('works offline: only this server is asked, a query and a subscription run with the Authorization header', async () => {
    const user = await registerUser(server.client());
    const client = server.client(user.accessToken);
    const account = await createAccount(client, { currency: 'USD' });
    const today = new Date().toISOString().slice(0, 10);
    await createBudget(client, {
      name: 'Everything',
      amount: '100.00',
      alertThresholds: [50],
      startDate: `${today.slice(0, 8)}01`,
    });

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const { host } = new URL(server.origin);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.host !== host) problems.push(`request to ${request.url()}`);
    });
    page.on('response', (answer) => {
      if (answer.status() >= 400) problems.push(`${answer.status()} ${answer.url()}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text()))
        problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    const subscribes: unknown[] = [];
    const sockets: string[] = [];
    page.on('websocket', (socket) => {
      sockets.push(socket.url());
      socket.on('framesent', (frame) => {
        const message = JSON.parse(String(frame.payload));
        if (message.type === 'connection_init') subscribes.push(message.payload);
        if (message.type === 'subscribe') subscribes.push('subscribe');
      });
    });

    await page.goto(`${server.origin}/graphiql`);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 20_000 });
    // The schema came by introspection: the docs explorer opens on the root types.
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.waitForSelector('.graphiql-doc-explorer >> text=Query', { timeout: 10_000 });

    // The Headers tab is open from the start, for the token.
    const headers = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
    await setEditor(page, headers, JSON.stringify({ Authorization: `Bearer ${user.accessToken}` }));
    await setQuery(page, '{ me { email } }');
    await page.click('.graphiql-execute-button');
    await expect.poll(() => response(page), { timeout: 10_000 }).toContain(user.email);

    // A subscription over graphql-ws on /graphql, the header sent as connectionParams.
    await setQuery(page, 'subscription { budgetAlert { threshold budget { name } } }');
    await page.click('.graphiql-execute-button');
    await expect.poll(() => subscribes, { timeout: 10_000 }).toContain('subscribe');
    expect(subscribes[0]).toEqual({ Authorization: `Bearer ${user.accessToken}` });
    expect(sockets).toEqual([`${server.origin.replace('http', 'ws')}/graphql`]);
    await createTransaction(client, { accountId: account.id, type: 'EXPENSE', amount: '60.00', date: today });
    await expect.poll(() => response(page), { timeout: 10_000 }).toMatch(/"threshold": 50[\s\S]*Everything/);

    // The settings dialog adds a <style> element: let in by the nonce, not by 'unsafe-inline'.
    await page.click('[aria-label="Open settings dialog"]');
    await page.waitForSelector('[role=dialog] >> text=Theme');
    expect(await page.$$eval('style', (styles) => styles.every((s) => s.nonce !== ''))).toBe(true);

    expect(problems).toEqual([]);
    await page.close();
  });
});
