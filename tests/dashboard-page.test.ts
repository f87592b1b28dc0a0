import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../scripts/build-web.mjs';
import { CHROMIUM_PATH, launchChromium } from '../src/scripts/chromium.js';
import { seedDemo, type DemoUser } from '../src/scripts/demo-data.js';
import { createTransaction } from './helpers/ledger.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// A real browser (Debian's chromium, never a downloaded one) against the real server. On a
// machine without chromium this file is skipped, except where REQUIRE_BROWSER=1 (CI), where a
// missing browser fails the run instead of passing it silently.
const HAVE_BROWSER = existsSync(CHROMIUM_PATH) || process.env.REQUIRE_BROWSER === '1';

describe.skipIf(!HAVE_BROWSER)('dashboard page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let demo: DemoUser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    await buildWeb();
    server = await startTestServer();
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
    await page.fill('input[name=email]', demo.email);
    await page.fill('input[name=password]', demo.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-ready=true]', { timeout: 15_000 });
    return page;
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
  });

  it('refuses a wrong password on the sign-in form', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.fill('input[name=email]', demo.email);
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#sign-in-error')).toMatch(/invalid email or password/i);
    expect(await page.isHidden('#dashboard')).toBe(true);
    await page.close();
  });

  it('shows the same figures as the API, then a toast when an expense crosses a threshold', async () => {
    const page = await signedInPage(1280);
    const api = await server.client(demo.accessToken).data(`{
      accounts { name balance }
      dashboard { totalBalance expensesThisMonth recentTransactions(first: 8) { id } budgets { budget { name } status { spent available percentUsed overBudget } } }
    }`);
    const usd = (amount: string) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(
        amount as unknown as number,
      );
    expect(await page.textContent('#total-balance')).toBe(usd(api.dashboard.totalBalance));
    expect(await page.textContent('#expenses-month')).toBe(usd(api.dashboard.expensesThisMonth));
    const accountRows = await page.$$eval('#accounts li', (items) => items.map((li) => li.textContent));
    expect(accountRows).toEqual(api.accounts.map((a: any) => `${a.name}${usd(a.balance)}`));
    expect(await page.$$eval('#recent tr', (rows) => rows.length)).toBe(
      api.dashboard.recentTransactions.length,
    );
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

  it('fits a 390 px wide phone screen without sideways scrolling', async () => {
    const page = await signedInPage(390);
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    const cards = await page.$$eval('.card', (nodes) => nodes.map((n) => n.getBoundingClientRect().width));
    expect(cards.every((width) => width <= 390)).toBe(true);
    await page.close();
  });
});
