import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../scripts/build-web.mjs';
import { CHROMIUM_PATH, launchChromium } from '../src/scripts/chromium.js';
import { seedDemo, type DemoUser } from '../src/scripts/demo-data.js';
import type { Clock } from '../src/clock.js';
import { createBudget } from './helpers/budgets.js';
import { createAccount, createTransaction } from './helpers/ledger.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { sleep } from './helpers/timing.js';
import { registerUser, uniqueEmail } from './helpers/users.js';

// A real browser (Debian's chromium, never a downloaded one) against the real server. On a
// machine without chromium this file is skipped, except where REQUIRE_BROWSER=1 (CI), where a
// missing browser fails the run instead of passing it silently.
const HAVE_BROWSER = existsSync(CHROMIUM_PATH) || process.env.REQUIRE_BROWSER === '1';

const MINUTE = 60_000;
const usd = (amount: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount as unknown as number);

/**
 * What a page did wrong: console errors (a failed load included), CSP violations, uncaught
 * errors, 404s and server errors, and any request to another origin than the server's.
 */
function watch(page: Page, origin: string): string[] {
  const problems: string[] = [];
  const { host } = new URL(origin);
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() === 404 || response.status() >= 500)
      problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.host !== host) problems.push(`request to ${request.url()}`);
  });
  return problems;
}

describe.skipIf(!HAVE_BROWSER)('dashboard page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let demo: DemoUser;
  const cspViolations: string[] = [];
  /** The server's clock runs this far ahead of the real one: tokens expire without waiting. */
  let clockOffset = 0;
  const clock: Clock = { now: () => Date.now() + clockOffset };

  beforeAll(async () => {
    await buildWeb();
    server = await startTestServer({}, { clock });
    demo = await seedDemo(server.url, `demo-${Date.now()}@example.com`);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedInPage(width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${server.origin}/`);
    await signIn(page, demo.email, demo.password);
    return page;
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.fill('#sign-in-form input[name=email]', email);
    await page.fill('#sign-in-form input[name=password]', password);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('body[data-ready=true]', { timeout: 15_000 });
  }

  it('serves the page with a CSP that allows only its own scripts', async () => {
    const response = await fetch(`${server.origin}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/https?:\/\//); // nothing from another origin
    expect((await fetch(`${server.origin}/assets/app.js`)).status).toBe(200);
    expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
  });

  it('serves its icon at /favicon.svg, and at /favicon.ico for whoever asks there', async () => {
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const response = await fetch(`${server.origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await response.text()).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it('refuses a wrong password on the sign-in form', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.fill('#sign-in-form input[name=email]', demo.email);
    await page.fill('#sign-in-form input[name=password]', 'not the password');
    await page.click('#sign-in-form button[type=submit]');
    await expect.poll(() => page.textContent('#sign-in-error')).toMatch(/invalid email or password/i);
    expect(await page.isHidden('#dashboard')).toBe(true);
    await page.close();
  });

  it('shows the same figures as the API, then a toast when an expense crosses a threshold', async () => {
    // A recurring expense from tomorrow: listed as upcoming, nothing materialized yet.
    const demoClient = server.client(demo.accessToken);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const [firstAccount] = (await demoClient.data('{ accounts { id } }')).accounts;
    await demoClient.data(
      'mutation ($input: CreateRecurringTransactionInput!) { createRecurringTransaction(input: $input) { id } }',
      {
        input: {
          frequency: 'WEEKLY',
          startDate: tomorrow,
          type: 'EXPENSE',
          amount: '15',
          accountId: firstAccount.id,
          description: 'Gym',
        },
      },
    );
    const page = await signedInPage(1280);
    const api = await server.client(demo.accessToken).data(`{
      upcoming(days: 31, first: 5) { date description amount schedule { account { name } } }
      accounts { name balance }
      dashboard { totalBalance expensesThisMonth recentTransactions(first: 8) { id } budgets { budget { name } status { spent available percentUsed overBudget } } }
    }`);
    expect(await page.textContent('#total-balance')).toBe(usd(api.dashboard.totalBalance));
    expect(await page.textContent('#expenses-month')).toBe(usd(api.dashboard.expensesThisMonth));
    const accountRows = await page.$$eval('#accounts li', (items) => items.map((li) => li.textContent));
    expect(accountRows).toEqual(api.accounts.map((a: any) => `${a.name}${usd(a.balance)}`));
    expect(await page.$$eval('#recent tr', (rows) => rows.length)).toBe(
      api.dashboard.recentTransactions.length,
    );
    const upcoming = await page.$$eval('#upcoming li', (items) => items.map((li) => li.textContent));
    expect(upcoming.length).toBe(5);
    expect(upcoming).toEqual(
      api.upcoming.map((o: any) => `${o.date}${o.description} · ${o.schedule.account.name}-${usd(o.amount)}`),
    );
    expect(upcoming[0]).toMatch(new RegExp(`^${tomorrow}Gym · `));
    const budgetRows = await page.$$eval('#budgets li', (items) =>
      items.map((li) => ({ text: li.textContent, state: li.getAttribute('data-state') })),
    );
    expect(budgetRows).toEqual(
      api.dashboard.budgets.map(({ budget, status }: any) => ({
        text: `${budget.name}${usd(status.spent)} of ${usd(status.available)}`,
        state:
          status.overBudget || status.percentUsed > 100 ? 'over' : status.percentUsed >= 80 ? 'warn' : 'ok',
      })),
    );
    expect(
      await page.$$eval('canvas', (canvases) => canvases.every((c) => c.width > 0 && c.height > 0)),
    ).toBe(true);

    // Spend enough in "Fun" (Entertainment, 120.00 a month) to cross its 100% threshold now.
    const fun = api.dashboard.budgets.find((b: any) => b.budget.name === 'Fun');
    const needed = (
      BigInt(Math.round(Number(fun.status.available) * 100)) -
      BigInt(Math.round(Number(fun.status.spent) * 100)) +
      100n
    ).toString();
    await createTransaction(server.client(demo.accessToken), {
      accountId: demo.accounts.checking,
      type: 'EXPENSE',
      amount: `${needed.slice(0, -2) || '0'}.${needed.slice(-2).padStart(2, '0')}`,
      date: new Date().toISOString().slice(0, 10),
      categoryId: demo.categories.Entertainment,
      description: 'Festival tickets',
    });
    // One write crossed both of the budget's thresholds (80 and 100): a toast for each.
    const toast = page.locator('.toast', { hasText: /^Fun: 100% of the budget reached/ });
    await toast.waitFor({ timeout: 5000 });
    expect(await page.locator('.toast', { hasText: /^Fun: 80% of the budget reached/ }).count()).toBe(1);
    await expect.poll(() => page.getAttribute('#budgets li:last-child', 'data-state')).toBe('over');
    await page.close();
    expect(cspViolations).toEqual([]);
  });

  it('reloads its figures when another client writes a transaction', async () => {
    const user = await registerUser(server.client(), { name: 'Two Devices' });
    const client = server.client(user.accessToken);
    const account = await createAccount(client, {
      name: 'Checking',
      currency: 'USD',
      openingBalance: '100.00',
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watch(page, server.origin);
    const subscribed: string[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', (frame) => {
        const message = JSON.parse(String(frame.payload));
        if (message.type === 'subscribe') subscribed.push(message.payload.query);
      }),
    );
    try {
      await page.goto(`${server.origin}/`);
      await signIn(page, user.email, user.password);
      expect(await page.textContent('#total-balance')).toBe(usd('100.00'));
      await expect.poll(() => subscribed.some((query) => /transactionChanged/.test(query))).toBe(true);
      await sleep(300); // the subscribe reaches the server's pub/sub

      // Another device (the API, not the page): an income, then a change of it, then its removal.
      const today = new Date().toISOString().slice(0, 10);
      const written = Date.now();
      const income = await createTransaction(client, {
        accountId: account.id,
        type: 'INCOME',
        amount: '25.00',
        date: today,
        description: 'From the phone',
      });
      await page.waitForSelector('#recent tr >> text=From the phone', { timeout: 5000 });
      console.info(`[dashboard] another device's write shown after ${Date.now() - written} ms`);
      expect(await page.textContent('#total-balance')).toBe(usd('125.00'));
      expect(await page.textContent('#income-month')).toBe(usd('25.00'));
      expect(await page.$$eval('#accounts li', (items) => items.map((li) => li.textContent))).toEqual([
        `Checking${usd('125.00')}`,
      ]);

      await client.data(
        'mutation ($id: ID!, $input: UpdateTransactionInput!) { updateTransaction(id: $id, input: $input) { id } }',
        {
          id: income.id,
          input: { amount: '40.00' },
        },
      );
      await expect.poll(() => page.textContent('#total-balance'), { timeout: 5000 }).toBe(usd('140.00'));
      await client.data('mutation ($id: ID!) { deleteTransaction(id: $id) }', { id: income.id });
      await expect.poll(() => page.textContent('#total-balance'), { timeout: 5000 }).toBe(usd('100.00'));
      expect(await page.isVisible('#recent-empty')).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('fits a 390 px wide phone screen without sideways scrolling or dates over two lines', async () => {
    const page = await signedInPage(390);
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    const cards = await page.$$eval('.card', (nodes) => nodes.map((n) => n.getBoundingClientRect().width));
    expect(cards.every((width) => width <= 390)).toBe(true);
    // Each date is one line box: its text's client rects, one per line it spans.
    const dateLines = await page.$$eval('#recent td.date', (cells) =>
      cells.map((cell) => {
        const range = cell.ownerDocument.createRange();
        range.selectNodeContents(cell);
        return range.getClientRects().length;
      }),
    );
    expect(dateLines.length).toBeGreaterThan(0);
    expect(dateLines.every((lines) => lines === 1)).toBe(true);
    await page.close();
  });

  it('takes a new user from the register form through empty states to their first figures', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watch(page, server.origin);
    await page.goto(`${server.origin}/`);
    await page.fill('#register-form input[name=name]', 'Nia');
    await page.fill('#register-form input[name=email]', uniqueEmail('new'));
    await page.fill('#register-form input[name=password]', 'correct horse battery');
    await page.click('#register-form button[type=submit]');
    await page.waitForSelector('body[data-ready=true]', { timeout: 15_000 });
    expect(await page.textContent('#who-name')).toBe('Nia');

    // Nothing yet: sentences saying so (and how to start), no zeros, no empty axes or table.
    for (const shown of [
      'accounts-empty',
      'transaction-needs-account',
      'spending-empty',
      'cashflow-empty',
      'budgets-empty',
      'recent-empty',
      'upcoming-empty',
    ])
      expect(await page.isVisible(`#${shown}`), shown).toBe(true);
    for (const hidden of [
      'totals',
      'transaction-form',
      'spending-chart-box',
      'cashflow-chart-box',
      'recent-table',
    ])
      expect(await page.isHidden(`#${hidden}`), hidden).toBe(true);
    expect(await page.textContent('#accounts-empty')).toMatch(/No accounts yet.*Add an account/s);
    expect(await page.getAttribute('#account-details', 'open')).not.toBeNull();

    // An account, in the user's currency unless said otherwise.
    expect(await page.inputValue('#account-form input[name=currency]')).toBe('USD');
    await page.fill('#account-form input[name=name]', 'Wallet');
    await page.selectOption('#account-form select[name=type]', 'CASH');
    await page.click('#account-form button[type=submit]');
    await page.waitForSelector('#transaction-form', { state: 'visible' });
    expect(await page.$$eval('#accounts li', (items) => items.map((li) => li.textContent))).toEqual([
      `Wallet${usd('0.00')}`,
    ]);
    expect(await page.isHidden('#accounts-empty')).toBe(true);

    // An expense: the date defaults to today, the categories follow the type.
    const today = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
    expect(await page.inputValue('#transaction-form input[name=date]')).toBe(today);
    const categories = () =>
      page.$$eval('#transaction-form select[name=categoryId] option', (o) => o.map((x) => x.textContent));
    expect(await categories()).toContain('Groceries');
    expect(await categories()).not.toContain('Salary');
    await page.fill('#transaction-form input[name=amount]', '12.50');
    await page.selectOption('#transaction-form select[name=categoryId]', { label: 'Groceries' });
    await page.fill('#transaction-form input[name=description]', 'Market');
    await page.click('#transaction-form button[type=submit]');
    await page.waitForSelector('#recent tr');
    expect(await page.textContent('#total-balance')).toBe(usd('-12.50'));
    expect(await page.textContent('#expenses-month')).toBe(usd('12.50'));
    expect(await page.textContent('#recent tr')).toBe(`${today}Market · Wallet-${usd('12.50')}`);
    for (const shown of ['spending-chart-box', 'cashflow-chart-box', 'recent-table'])
      expect(await page.isVisible(`#${shown}`), shown).toBe(true);
    for (const hidden of ['spending-empty', 'cashflow-empty', 'recent-empty'])
      expect(await page.isHidden(`#${hidden}`), hidden).toBe(true);
    expect(await page.inputValue('#transaction-form input[name=amount]')).toBe('');

    // Income, with a comma for the decimal point.
    await page.selectOption('#transaction-form select[name=type]', 'INCOME');
    expect(await categories()).toContain('Salary');
    expect(await categories()).not.toContain('Groceries');
    await page.fill('#transaction-form input[name=amount]', '100,25');
    await page.click('#transaction-form button[type=submit]');
    await expect.poll(() => page.$$eval('#recent tr', (rows) => rows.length)).toBe(2);
    expect(await page.textContent('#total-balance')).toBe(usd('87.75'));
    expect(await page.textContent('#income-month')).toBe(usd('100.25'));

    // A refused write says why, next to the form.
    await page.fill('#transaction-form input[name=amount]', '0');
    await page.click('#transaction-form button[type=submit]');
    await expect.poll(() => page.textContent('#transaction-error')).not.toBe('');
    expect(await page.$$eval('#recent tr', (rows) => rows.length)).toBe(2);

    expect(problems).toEqual([]);
    await page.close();
  });

  it('renews the access token before it runs out, and when the server says it has; the socket follows', async () => {
    const user = await registerUser(server.client(), { name: 'Renée' });
    const client = server.client(user.accessToken);
    const account = await createAccount(client, { name: 'Checking', currency: 'USD' });
    const today = new Date().toISOString().slice(0, 10);
    await createBudget(client, { name: 'Food', amount: '100.00', startDate: `${today.slice(0, 8)}01` });

    const page = await browser.newPage();
    // The page's timers and Date under the test's hand; they run at real speed until moved.
    await page.clock.install();
    const problems = watch(page, server.origin);
    /** The token each socket signed in with, in order. */
    const socketTokens: string[] = [];
    const subscribed: string[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', (frame) => {
        const message = JSON.parse(String(frame.payload));
        if (message.type === 'connection_init')
          socketTokens.push(message.payload.authorization.replace(/^Bearer /, ''));
        // One socket carries budgetAlert and transactionChanged: counted by the first.
        if (message.type === 'subscribe' && message.payload.query.includes('budgetAlert'))
          subscribed.push(socketTokens.at(-1)!);
      }),
    );
    const refreshes: string[] = [];
    page.on('response', async (response) => {
      if (!response.request().postData()?.includes('refreshToken(refreshToken')) return;
      const body = await response.json();
      refreshes.push(
        body.data?.refreshToken?.accessToken ?? `refused: ${body.errors?.[0]?.extensions?.reason}`,
      );
    });
    try {
      await page.goto(`${server.origin}/`);
      await signIn(page, user.email, user.password);
      await expect.poll(() => subscribed.length, { timeout: 10_000 }).toBe(1);
      const first = socketTokens[0]!;

      // 14.5 minutes on, both clocks: the page renews a minute before its 15-minute token runs out.
      clockOffset = 14.5 * MINUTE;
      await page.clock.fastForward('14:30');
      await expect.poll(() => refreshes.length, { timeout: 10_000 }).toBe(1);
      const second = refreshes[0]!;
      expect(second).not.toBe(first);

      // Past the first token's expiry, the server closes the socket that signed in with it; the
      // page connects again with the renewed token, and alerts arrive on the new socket.
      clockOffset = 16 * MINUTE;
      await expect.poll(() => subscribed, { timeout: 10_000 }).toEqual([first, second]);
      await createTransaction(server.client(second), {
        accountId: account.id,
        type: 'EXPENSE',
        amount: '85.00',
        date: today,
      });
      await page
        .locator('.toast', { hasText: /^Food: 80% of the budget reached/ })
        .waitFor({ timeout: 10_000 });
      // The toast came after the figures it speaks of.
      expect(await page.getAttribute('#budgets li', 'data-state')).toBe('warn');
      expect(await page.textContent('#expenses-month')).toBe(usd('85.00'));

      // The server's clock passes the second token's expiry; the page's does not. The write is
      // refused with TOKEN_EXPIRED (or the socket is closed first): one renewal, then it goes through.
      clockOffset = 31 * MINUTE;
      await page.fill('#transaction-form input[name=amount]', '5.00');
      await page.fill('#transaction-form input[name=description]', 'Coffee');
      await page.click('#transaction-form button[type=submit]');
      await page.waitForSelector('#recent tr >> text=Coffee', { timeout: 10_000 });
      // A reload set off by the 85.00 write's events may straddle this write's commit (the
      // dashboard's figures are separate statements), and the reload after the write follows it.
      await expect.poll(() => page.textContent('#expenses-month'), { timeout: 10_000 }).toBe(usd('90.00'));
      expect(await page.textContent('#transaction-error')).toBe('');
      await expect.poll(() => subscribed.length, { timeout: 10_000 }).toBe(3);
      expect(refreshes).toHaveLength(2);
      const third = refreshes[1]!;
      expect(subscribed[2]).toBe(third);

      // A month on, the refresh token has run out too: back to sign-in, saying so.
      clockOffset = 31 * 24 * 60 * MINUTE;
      await page.waitForSelector('#session-message', { state: 'visible', timeout: 10_000 });
      expect(await page.textContent('#session-message')).toMatch(/session has ended.*sign in again/i);
      expect(await page.isHidden('#dashboard')).toBe(true);
      expect(await page.isVisible('#sign-in-form')).toBe(true);
      expect(refreshes.at(-1)).toBe('refused: REFRESH_REVOKED');
      expect(problems).toEqual([]);
    } finally {
      clockOffset = 0;
      await page.close();
    }
  });
});
