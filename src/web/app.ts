import type { Client } from 'graphql-ws';
import { Api, SessionEnded, live } from './api.js';
import {
  BUDGET_ALERTS,
  CREATE_ACCOUNT,
  CREATE_TRANSACTION,
  DASHBOARD,
  LOGIN,
  REGISTER,
  TRANSACTION_CHANGES,
  type AuthPayload,
  type BudgetAlertEvent,
  type DashboardData,
} from './queries.js';
import { byId, fillSelect, renderDashboard, showToast } from './render.js';

// The dashboard page: signs in (or registers) through the public API, shows the figures, adds
// accounts and transactions, and listens for alerts and for writes made elsewhere.
const api = new Api();
let socket: Client | undefined;
let latest: DashboardData | undefined;

/** "YYYY-MM-DD" in UTC, like the API's dates. */
const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

/** Today in this browser's time zone, for the date a person means by "today". */
function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

async function loadDashboard(): Promise<void> {
  const now = new Date();
  const monthStart = isoDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
  const yearAgo = isoDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)));
  const data = await api.query<DashboardData>(DASHBOARD, { monthStart, today: isoDate(now), yearAgo });
  latest = data;
  renderDashboard(data);
  renderForms(data);
}

let loading: Promise<void> | undefined;
let loadAgain = false;

/**
 * Reloads the figures after a write or an alert. Loads never overlap: one asked for during a load
 * runs after it, so an older answer never paints over a newer one.
 */
function refreshFigures(): Promise<void> {
  if (loading) {
    loadAgain = true;
    return loading;
  }
  loading = (async () => {
    try {
      do {
        loadAgain = false;
        await loadDashboard();
      } while (loadAgain);
    } finally {
      loading = undefined;
    }
  })();
  return loading;
}

/** A burst of writes (an import on another device) is one reload, once they pause this long… */
const CHANGES_QUIET_MS = 150;
/** …or this long after the first of them at the latest, so the page never lags far behind. */
const CHANGES_MAX_WAIT_MS = 600;
let changesTimer: ReturnType<typeof setTimeout> | undefined;
let changesSince: number | undefined;

/**
 * A transaction changed (on another device, or this page's own write, which then reloads once
 * more): the figures reload when the writes pause, through refreshFigures, so never overlapping.
 */
function transactionsChanged(): void {
  const now = Date.now();
  changesSince ??= now;
  clearTimeout(changesTimer);
  const wait = Math.max(0, Math.min(CHANGES_QUIET_MS, changesSince + CHANGES_MAX_WAIT_MS - now));
  changesTimer = setTimeout(() => {
    changesTimer = undefined;
    changesSince = undefined;
    void refreshFigures().catch(() => undefined);
  }, wait);
}

/** The add forms follow the data: the accounts to choose from, or the account form first. */
function renderForms(data: DashboardData): void {
  const hasAccounts = data.accounts.length > 0;
  const transactionForm = byId<HTMLFormElement>('transaction-form');
  transactionForm.hidden = !hasAccounts;
  byId('transaction-needs-account').hidden = hasAccounts;
  if (!hasAccounts) byId<HTMLDetailsElement>('account-details').open = true;
  fillSelect(
    transactionForm.elements.namedItem('accountId') as HTMLSelectElement,
    data.accounts.map((account) => ({ value: account.id, label: `${account.name} (${account.currency})` })),
  );
  fillCategories();
  const currency = byId<HTMLFormElement>('account-form').elements.namedItem('currency') as HTMLInputElement;
  if (!currency.value) currency.value = data.dashboard.currency;
}

/** The categories of the chosen type (an expense takes an expense category), or none. */
function fillCategories(): void {
  const form = byId<HTMLFormElement>('transaction-form');
  const type = (form.elements.namedItem('type') as HTMLSelectElement).value;
  const categories = (latest?.categories ?? []).filter((category) => category.kind === type);
  fillSelect(form.elements.namedItem('categoryId') as HTMLSelectElement, [
    { value: '', label: '— none —' },
    ...categories.map((category) => ({ value: category.id, label: category.name })),
  ]);
}

function resetTransactionForm(form: HTMLFormElement): void {
  const keep = ['accountId', 'type', 'date'].map((name) => {
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
    return [field, field.value] as const;
  });
  form.reset();
  for (const [field, value] of keep) field.value = value;
  fillCategories();
}

/** A random idempotency key; crypto.randomUUID is missing outside secure contexts (plain http on a LAN). */
function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/** Runs a form's action with its error line cleared, then filled with what went wrong. */
async function submitting(
  form: HTMLFormElement,
  errorId: string,
  action: () => Promise<void>,
): Promise<void> {
  const error = byId(errorId);
  const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
  error.textContent = '';
  button.disabled = true;
  try {
    await action();
  } catch (failure) {
    // A sign-in that ended shows its own message on the sign-in page.
    if (!(failure instanceof SessionEnded)) error.textContent = (failure as Error).message;
  } finally {
    button.disabled = false;
  }
}

async function addTransaction(form: HTMLFormElement): Promise<void> {
  const values = new FormData(form);
  const text = (name: string) => String(values.get(name) ?? '').trim();
  const key = randomKey();
  await api.query(CREATE_TRANSACTION, {
    key,
    input: {
      accountId: text('accountId'),
      type: text('type'),
      amount: text('amount').replace(',', '.'),
      categoryId: text('categoryId') || null,
      description: text('description') || null,
      date: text('date'),
    },
  });
  resetTransactionForm(form);
  await refreshFigures();
}

async function addAccount(form: HTMLFormElement): Promise<void> {
  const values = new FormData(form);
  await api.query(CREATE_ACCOUNT, {
    input: {
      name: String(values.get('name') ?? '').trim(),
      type: values.get('type'),
      currency: String(values.get('currency') ?? '')
        .trim()
        .toUpperCase(),
    },
  });
  form.reset();
  byId<HTMLDetailsElement>('account-details').open = false;
  await refreshFigures();
}

/**
 * Signed in (by login or register): the dashboard, kept live by the budgetAlert and
 * transactionChanged subscriptions, both on one socket.
 */
async function enter(payload: AuthPayload): Promise<void> {
  api.start(payload);
  byId('who-name').textContent = payload.user.name ?? payload.user.email;
  byId('who').hidden = false;
  byId('welcome').hidden = true;
  byId('session-message').hidden = true;
  byId('dashboard').hidden = false;
  byId<HTMLInputElement>('transaction-date').value ||= localToday();
  await refreshFigures();
  socket = api.subscribe(
    [
      live<BudgetAlertEvent>(
        BUDGET_ALERTS,
        // The toast once the bars show the spending it speaks of, never over stale ones.
        (event) =>
          void refreshFigures()
            .catch(() => undefined)
            .then(() => showToast(event)),
      ),
      live(TRANSACTION_CHANGES, transactionsChanged),
    ],
    // Back after a dropped socket (or a renewed token): writes and alerts may have come meanwhile.
    () => void refreshFigures().catch(() => undefined),
  );
  document.body.dataset.ready = 'true';
}

/** Closes the live socket; one still connecting rejects dispose() with its close, of no interest now. */
function stopLive(): void {
  Promise.resolve(socket?.dispose()).catch(() => undefined);
  socket = undefined;
  clearTimeout(changesTimer);
  changesTimer = undefined;
  changesSince = undefined;
}

/** Back to the sign-in forms, saying why when the sign-in ended by itself. */
function leave(message: string): void {
  stopLive();
  latest = undefined;
  delete document.body.dataset.ready;
  byId('who').hidden = true;
  byId('dashboard').hidden = true;
  byId('welcome').hidden = false;
  const notice = byId('session-message');
  notice.textContent = message;
  notice.hidden = false;
}

function authForm(formId: string, errorId: string, mutation: string, field: 'login' | 'register'): void {
  const form = byId<HTMLFormElement>(formId);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(form, errorId, async () => {
      const values = new FormData(form);
      const input: Record<string, unknown> = Object.fromEntries(values);
      if (field === 'register') {
        input.name = String(input.name ?? '').trim() || null;
        input.currency = String(input.currency ?? '').toUpperCase();
      }
      const data = await api.anonymous<Record<string, AuthPayload>>(mutation, { input });
      form.reset();
      await enter(data[field]!);
    });
  });
}

document.addEventListener('DOMContentLoaded', () => {
  api.onSessionEnded(leave);
  authForm('sign-in-form', 'sign-in-error', LOGIN, 'login');
  authForm('register-form', 'register-error', REGISTER, 'register');

  const transactionForm = byId<HTMLFormElement>('transaction-form');
  transactionForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(transactionForm, 'transaction-error', () => addTransaction(transactionForm));
  });
  (transactionForm.elements.namedItem('type') as HTMLSelectElement).addEventListener(
    'change',
    fillCategories,
  );

  const accountForm = byId<HTMLFormElement>('account-form');
  accountForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(accountForm, 'account-error', () => addAccount(accountForm));
  });

  byId('sign-out').addEventListener('click', () => {
    stopLive();
    void api.signOut().finally(() => location.reload());
  });
});
