const AUTH_PAYLOAD = 'accessToken refreshToken expiresIn user { name email }';

export const LOGIN = `mutation ($input: LoginInput!) {
  login(input: $input) { ${AUTH_PAYLOAD} }
}`;

export const REGISTER = `mutation ($input: RegisterInput!) {
  register(input: $input) { ${AUTH_PAYLOAD} }
}`;

export const REFRESH = `mutation ($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) { ${AUTH_PAYLOAD} }
}`;

export const LOGOUT = `mutation ($refreshToken: String!) { logout(refreshToken: $refreshToken) }`;

export const CREATE_ACCOUNT = `mutation ($input: CreateAccountInput!) {
  createAccount(input: $input) { id }
}`;

export const CREATE_TRANSACTION = `mutation ($input: CreateTransactionInput!, $key: String) {
  createTransaction(input: $input, idempotencyKey: $key) { id }
}`;

export const DASHBOARD = `query ($monthStart: Date!, $today: Date!, $yearAgo: Date!) {
  accounts { id name currency balance }
  categories { id name kind }
  dashboard {
    currency totalBalance incomeThisMonth expensesThisMonth
    recentTransactions(first: 8) { id date description type amount account { name } category { name } }
    budgets { budget { id name } status { spent available percentUsed overBudget } }
  }
  spendingByCategory(from: $monthStart, to: $today) { category { name color } total }
  cashflow(from: $yearAgo, to: $today, interval: MONTH) { periodStart income expenses }
  upcoming(days: 31, first: 5) { date description type amount skipped schedule { account { name } } category { name } }
}`;

export const BUDGET_ALERTS = `subscription {
  budgetAlert { threshold percentUsed spent available budget { name } }
}`;

/** Only that something changed: the page reloads its figures, which read every balance anew. */
export const TRANSACTION_CHANGES = `subscription { transactionChanged { kind id } }`;

/** What login, register and refreshToken answer. */
export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  /** Seconds until accessToken expires. */
  expiresIn: number;
  user: { name: string | null; email: string };
}

export interface DashboardData {
  accounts: { id: string; name: string; currency: string; balance: string }[];
  categories: { id: string; name: string; kind: 'EXPENSE' | 'INCOME' }[];
  dashboard: {
    currency: string;
    totalBalance: string;
    incomeThisMonth: string;
    expensesThisMonth: string;
    recentTransactions: {
      id: string;
      date: string;
      description: string | null;
      type: 'INCOME' | 'EXPENSE' | 'TRANSFER';
      amount: string;
      account: { name: string };
      category: { name: string } | null;
    }[];
    budgets: {
      budget: { id: string; name: string };
      status: { spent: string; available: string; percentUsed: number; overBudget: boolean };
    }[];
  };
  spendingByCategory: { category: { name: string; color: string | null } | null; total: string }[];
  cashflow: { periodStart: string; income: string; expenses: string }[];
  upcoming: {
    date: string;
    description: string | null;
    type: 'INCOME' | 'EXPENSE' | 'TRANSFER';
    amount: string;
    skipped: boolean;
    schedule: { account: { name: string } };
    category: { name: string } | null;
  }[];
}

export interface BudgetAlertEvent {
  budgetAlert: {
    threshold: number;
    percentUsed: number;
    spent: string;
    available: string;
    budget: { name: string };
  };
}
