import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { BudgetAlertEvent, DashboardData } from './queries.js';

Chart.register(
  DoughnutController,
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

const PALETTE = [
  '#2f6fde',
  '#e0a100',
  '#1f9d55',
  '#d64545',
  '#8e59c9',
  '#14a3b8',
  '#e06c2f',
  '#5b6b82',
  '#b5479a',
  '#7a9a1f',
];

export const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Money arrives as decimal strings; Intl formats a string exactly, without a float in between. */
export function money(amount: string, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(
    amount as unknown as number,
  );
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const charts = new Map<string, { destroy(): void }>();

/**
 * Draws a chart in the canvas `id`, replacing the one drawn there before; with no data, no chart
 * (a 0–1 axis over nothing says less than a sentence): its box hides and `emptyId` shows.
 */
function chart(
  id: string,
  emptyId: string,
  config: ChartConfiguration<'doughnut'> | ChartConfiguration<'bar'> | null,
): void {
  charts.get(id)?.destroy();
  charts.delete(id);
  byId(`${id}-box`).hidden = config === null;
  byId(emptyId).hidden = config !== null;
  if (config) charts.set(id, new Chart(byId<HTMLCanvasElement>(id), config as ChartConfiguration));
}

export function renderDashboard(data: DashboardData): void {
  const { dashboard } = data;
  const currency = dashboard.currency;
  // A new user: a sentence saying what to do rather than a row of zeros.
  byId('totals').hidden = data.accounts.length === 0;
  byId('accounts-empty').hidden = data.accounts.length > 0;
  byId('total-balance').textContent = money(dashboard.totalBalance, currency);
  byId('income-month').textContent = money(dashboard.incomeThisMonth, currency);
  byId('expenses-month').textContent = money(dashboard.expensesThisMonth, currency);

  byId('accounts').replaceChildren(
    ...data.accounts.map((account) => {
      const item = element('li');
      item.append(
        element('span', account.name),
        element('span', money(account.balance, account.currency), 'num'),
      );
      return item;
    }),
  );

  renderSpending(data, currency);
  renderCashflow(data);
  renderBudgets(data, currency);
  renderRecent(data, currency);
  renderUpcoming(data, currency);
}

/** Fills a select with options, keeping the chosen value when it is still offered. */
export function fillSelect(select: HTMLSelectElement, options: { value: string; label: string }[]): void {
  const chosen = select.value;
  select.replaceChildren(
    ...options.map(({ value, label }) => {
      const option = element('option', label);
      option.value = value;
      return option;
    }),
  );
  if (options.some((option) => option.value === chosen)) select.value = chosen;
}

function renderSpending(data: DashboardData, currency: string): void {
  const slices = data.spendingByCategory;
  if (slices.length === 0) return chart('spending-chart', 'spending-empty', null);
  chart('spending-chart', 'spending-empty', {
    type: 'doughnut',
    data: {
      labels: slices.map((s) => s.category?.name ?? 'Uncategorized'),
      datasets: [
        {
          data: slices.map((s) => Number(s.total)),
          backgroundColor: slices.map((s, i) => s.category?.color ?? PALETTE[i % PALETTE.length]!),
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      plugins: {
        legend: { position: 'right' },
        tooltip: {
          callbacks: { label: (item) => `${item.label}: ${money(slices[item.dataIndex]!.total, currency)}` },
        },
      },
    },
  });
}

function renderCashflow(data: DashboardData): void {
  const points = data.cashflow;
  const label = (start: string) =>
    new Date(`${start}T00:00:00Z`).toLocaleDateString(undefined, {
      month: 'short',
      year: '2-digit',
      timeZone: 'UTC',
    });
  const moved = points.some((p) => Number(p.income) !== 0 || Number(p.expenses) !== 0);
  if (!moved) return chart('cashflow-chart', 'cashflow-empty', null);
  chart('cashflow-chart', 'cashflow-empty', {
    type: 'bar',
    data: {
      labels: points.map((p) => label(p.periodStart)),
      datasets: [
        { label: 'Income', data: points.map((p) => Number(p.income)), backgroundColor: '#1f9d55' },
        { label: 'Expenses', data: points.map((p) => Number(p.expenses)), backgroundColor: '#d64545' },
      ],
    },
    options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
  });
}

/** Green below 80% of the budget, amber from 80%, red once over it. */
export function budgetState(percentUsed: number, overBudget: boolean): 'ok' | 'warn' | 'over' {
  if (overBudget || percentUsed > 100) return 'over';
  return percentUsed >= 80 ? 'warn' : 'ok';
}

function renderBudgets(data: DashboardData, currency: string): void {
  const budgets = data.dashboard.budgets;
  byId('budgets-empty').hidden = budgets.length > 0;
  byId('budgets').replaceChildren(
    ...budgets.map(({ budget, status }) => {
      const state = budgetState(status.percentUsed, status.overBudget);
      const item = element('li');
      item.dataset.state = state;
      const head = element('div', undefined, 'budget-head');
      head.append(
        element('span', budget.name),
        element('span', `${money(status.spent, currency)} of ${money(status.available, currency)}`, 'num'),
      );
      const bar = element('div', undefined, `bar state-${state}`);
      const fill = element('span');
      fill.style.width = `${Math.min(100, Math.max(0, status.percentUsed))}%`;
      bar.append(fill);
      bar.setAttribute('role', 'progressbar');
      bar.setAttribute('aria-valuenow', String(Math.round(status.percentUsed)));
      item.append(head, bar);
      return item;
    }),
  );
}

/** The next occurrences of recurring transactions (skipped ones struck through). */
function renderUpcoming(data: DashboardData, currency: string): void {
  byId('upcoming-empty').hidden = data.upcoming.length > 0;
  byId('upcoming').replaceChildren(
    ...data.upcoming.map((o) => {
      const item = element('li', undefined, o.skipped ? 'skipped' : undefined);
      const sign = o.type === 'EXPENSE' ? '-' : o.type === 'INCOME' ? '+' : '';
      const what = o.description ?? o.category?.name ?? o.type.toLowerCase();
      item.append(
        element('span', o.date, 'date'),
        element('span', `${what} · ${o.schedule.account.name}`),
        element('span', `${sign}${money(o.amount, currency)}`, 'num'),
      );
      return item;
    }),
  );
}

function renderRecent(data: DashboardData, currency: string): void {
  const recent = data.dashboard.recentTransactions;
  byId('recent-table').hidden = recent.length === 0;
  byId('recent-empty').hidden = recent.length > 0;
  byId('recent').replaceChildren(
    ...recent.map((t) => {
      const row = element('tr');
      const sign = t.type === 'EXPENSE' ? '-' : t.type === 'INCOME' ? '+' : '';
      const what = t.description ?? t.category?.name ?? t.type.toLowerCase();
      row.append(
        element('td', t.date, 'date'),
        element('td', `${what} · ${t.account.name}`),
        element(
          'td',
          `${sign}${money(t.amount, currency)}`,
          `num ${t.type === 'EXPENSE' ? 'expense' : t.type === 'INCOME' ? 'income' : ''}`,
        ),
      );
      return row;
    }),
  );
}

export function showToast({ budgetAlert: alert }: BudgetAlertEvent): void {
  const toast = element(
    'div',
    `${alert.budget.name}: ${alert.threshold}% of the budget reached (${Math.round(alert.percentUsed)}% used)`,
    `toast${alert.threshold >= 100 ? ' over' : ''}`,
  );
  toast.setAttribute('role', 'status');
  byId('toasts').append(toast);
  setTimeout(() => toast.remove(), 8000);
}
