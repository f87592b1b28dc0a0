// Demo data for the dashboard, written through the public GraphQL API only: a year of salary,
// rent and everyday spending, three accounts and three budgets. Used by the screenshot script
// and the browser test.

export interface DemoUser {
  email: string;
  password: string;
  accessToken: string;
  accounts: Record<'checking' | 'savings' | 'card', string>;
  categories: Record<string, string>;
  budgets: Record<string, string>;
}

async function gql<T>(url: string, query: string, variables: object = {}, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A small deterministic generator, so every run draws the same picture. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const cents = (value: number): string => (Math.round(value * 100) / 100).toFixed(2);

export async function seedDemo(
  url: string,
  email = 'demo@example.com',
  today = new Date(),
): Promise<DemoUser> {
  const password = 'demo password 1';
  const { register } = await gql<{ register: { accessToken: string } }>(
    url,
    'mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }',
    { input: { email, password, name: 'Alex Demo', currency: 'USD' } },
  );
  const token: string = register.accessToken;
  const call = <T>(query: string, variables: object = {}) => gql<T>(url, query, variables, token);

  const account = async (name: string, type: string, openingBalance: string) =>
    (
      await call<{ createAccount: { id: string } }>(
        'mutation ($i: CreateAccountInput!) { createAccount(input: $i) { id } }',
        { i: { name, type, openingBalance } },
      )
    ).createAccount.id;
  const accounts = {
    checking: await account('Everyday checking', 'CHECKING', '2400.00'),
    savings: await account('Savings', 'SAVINGS', '8000.00'),
    card: await account('Credit card', 'CREDIT_CARD', '-350.00'),
  };
  const { categories: list } = await call<{ categories: { id: string; name: string }[] }>(
    '{ categories { id name } }',
  );
  const categories = Object.fromEntries(list.map((c) => [c.name, c.id]));

  const draw = random(42);
  const add = (input: object) =>
    call('mutation ($i: CreateTransactionInput!) { createTransaction(input: $i) { id } }', { i: input });
  const month = (offset: number, day: number) => {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - offset, day));
    return date.toISOString().slice(0, 10);
  };
  const todayDay = today.getUTCDate();
  for (let offset = 11; offset >= 0; offset--) {
    const upTo = offset === 0 ? todayDay : 28;
    const on = (day: number) => (day <= upTo ? month(offset, day) : null);
    const spend = async (
      day: number,
      category: string,
      amount: number,
      description: string,
      card = false,
    ) => {
      const date = on(day);
      if (!date) return;
      await add({
        accountId: card ? accounts.card : accounts.checking,
        type: 'EXPENSE',
        amount: cents(amount),
        date,
        categoryId: categories[category],
        description,
      });
    };
    if (on(1)) {
      await add({
        accountId: accounts.checking,
        type: 'INCOME',
        amount: cents(4200 + (offset % 3) * 150),
        date: on(1),
        categoryId: categories.Salary,
        description: 'Salary',
      });
    }
    await spend(2, 'Housing', 1450, 'Rent');
    await spend(5, 'Utilities', 90 + draw() * 60, 'Electricity and water');
    for (const day of [3, 10, 17, 24]) await spend(day, 'Groceries', 55 + draw() * 70, 'Supermarket');
    for (const day of [6, 14, 21]) await spend(day, 'Dining', 18 + draw() * 45, 'Restaurant', true);
    await spend(8, 'Transport', 60 + draw() * 40, 'Transit pass');
    await spend(19, 'Entertainment', 20 + draw() * 60, 'Cinema and concerts', true);
    if (offset % 4 === 1) await spend(12, 'Health', 40 + draw() * 80, 'Pharmacy');
    const transferDay = on(15);
    if (transferDay) {
      await add({
        accountId: accounts.checking,
        type: 'TRANSFER',
        amount: '500.00',
        date: transferDay,
        transferAccountId: accounts.savings,
        description: 'Monthly saving',
      });
    }
  }

  const budget = async (name: string, category: string, amount: string) =>
    (
      await call<{ createBudget: { id: string } }>(
        'mutation ($i: CreateBudgetInput!) { createBudget(input: $i) { id } }',
        { i: { name, categoryId: categories[category], amount, period: 'MONTHLY', startDate: month(11, 1) } },
      )
    ).createBudget.id;
  const budgets = {
    Groceries: await budget('Groceries', 'Groceries', '400.00'),
    Dining: await budget('Eating out', 'Dining', '150.00'),
    Entertainment: await budget('Fun', 'Entertainment', '120.00'),
  };
  return { email, password, accessToken: token, accounts, categories, budgets };
}
