import type { Client } from 'graphql-ws';
import { Api } from './api.js';
import { BUDGET_ALERTS, DASHBOARD, LOGIN, type BudgetAlertEvent, type DashboardData } from './queries.js';
import { byId, renderDashboard, showToast } from './render.js';

// The dashboard page: signs in through the public API, shows the figures, and listens for alerts.
const api = new Api();
let alerts: Client | undefined;

/** "YYYY-MM-DD" in UTC, like the API's dates. */
const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

async function loadDashboard(): Promise<void> {
  const now = new Date();
  const monthStart = isoDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
  const yearAgo = isoDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1)));
  const data = await api.query<DashboardData>(DASHBOARD, { monthStart, today: isoDate(now), yearAgo });
  renderDashboard(data);
}

async function signIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  const error = byId('sign-in-error');
  error.textContent = '';
  try {
    const { login } = await api.query<{
      login: { accessToken: string; user: { name: string | null; email: string } };
    }>(LOGIN, { input: { email: form.get('email'), password: form.get('password') } });
    api.setToken(login.accessToken);
    byId('who-name').textContent = login.user.name ?? login.user.email;
    byId('who').hidden = false;
    byId('sign-in').hidden = true;
    byId('dashboard').hidden = false;
    await loadDashboard();
    alerts = api.subscribe<BudgetAlertEvent>(BUDGET_ALERTS, (event) => {
      showToast(event);
      void loadDashboard();
    });
    document.body.dataset.ready = 'true';
  } catch (failure) {
    error.textContent = (failure as Error).message;
  }
}

function signOut(): void {
  void alerts?.dispose();
  api.setToken(null);
  location.reload();
}

document.addEventListener('DOMContentLoaded', () => {
  byId<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => void signIn(event));
  byId('sign-out').addEventListener('click', signOut);
});
