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

/** Draws a chart in the canvas `id`, replacing the one drawn there before. */
function chart(id: string, config: ChartConfiguration<'doughnut'> | ChartConfiguration<'bar'>): void {
  charts.get(id)?.destroy();
  charts.set(id, new Chart(byId<HTMLCanvasElement>(id), config as ChartConfiguration));
}

export function renderDashboard(data: DashboardData): void {
  const { dashboard } = data;
  const currency = dashboard.currency;
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
}

function renderSpending(data: DashboardData, currency: string): void {
  const slices = data.spendingByCategory;
  byId('spending-empty').hidden = slices.length > 0;
  chart('spending-chart', {
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
  chart('cashflow-chart', {
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

function renderRecent(data: DashboardData, currency: string): void {
  byId('recent').replaceChildren(
    ...data.dashboard.recentTransactions.map((t) => {
      const row = element('tr');
      const sign = t.type === 'EXPENSE' ? '-' : t.type === 'INCOME' ? '+' : '';
      const what = t.description ?? t.category?.name ?? t.type.toLowerCase();
      row.append(
        element('td', t.date),
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
