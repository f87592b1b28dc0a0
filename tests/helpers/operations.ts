/**
 * The GraphQL documents that several test files send. A document that one test alone needs stays
 * in that test. Selections are the contract's fields; where a test compares whole answers and
 * needs another selection, the `…With(fields)` builders give the same operation with it.
 */

// ---------------------------------------------------------------------------------------------
// Users and sessions

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      accessToken
      refreshToken
      expiresIn
      user {
        id
        email
        name
        currency
        createdAt
      }
    }
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken
      refreshToken
      expiresIn
      user {
        id
        email
      }
    }
  }
`;

export const ME = '{ me { id } }';
export const REFRESH_TOKEN =
  'mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { id } } }';
export const LOGOUT = 'mutation ($t: String!) { logout(refreshToken: $t) }';
export const CHANGE_PASSWORD =
  'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
export const UPDATE_PROFILE = `mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { name currency } }`;

// ---------------------------------------------------------------------------------------------
// Accounts

export const ACCOUNT_FIELDS = 'id name type currency openingBalance balance archived createdAt';
export const CREATE_ACCOUNT = `mutation ($input: CreateAccountInput!) { createAccount(input: $input) { ${ACCOUNT_FIELDS} } }`;
export const UPDATE_ACCOUNT = `mutation ($id: ID!, $input: UpdateAccountInput!) {
  updateAccount(id: $id, input: $input) { ${ACCOUNT_FIELDS} } }`;
export const DELETE_ACCOUNT = 'mutation ($id: ID!) { deleteAccount(id: $id) }';
export const ACCOUNT = `query ($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS} } }`;
/** Every account's balance, archived ones included. */
export const BALANCES = '{ accounts(includeArchived: true) { id balance } }';

// ---------------------------------------------------------------------------------------------
// Categories

export const CATEGORY_FIELDS = 'id name kind color parent { id }';
export const CREATE_CATEGORY = `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { ${CATEGORY_FIELDS} } }`;
export const UPDATE_CATEGORY = `mutation ($id: ID!, $input: UpdateCategoryInput!) {
  updateCategory(id: $id, input: $input) { ${CATEGORY_FIELDS} } }`;
export const DELETE_CATEGORY = 'mutation ($id: ID!) { deleteCategory(id: $id) }';
export const CATEGORY = `query ($id: ID!) { category(id: $id) { ${CATEGORY_FIELDS} } }`;
export const CATEGORIES = `query ($kind: CategoryKind) { categories(kind: $kind) { ${CATEGORY_FIELDS} } }`;

// ---------------------------------------------------------------------------------------------
// Transactions

/** A transaction's own fields, without the timestamps. */
export const TX_FIELDS =
  'id type amount date description tags account { id } transferAccount { id } category { id }';
/** Every field of a Transaction. */
export const TRANSACTION_FIELDS = `id type amount date description tags createdAt updatedAt
  account { id } transferAccount { id } category { id }`;

export const createTransactionWith = (
  fields: string,
): string => `mutation ($input: CreateTransactionInput!, $key: String) {
  createTransaction(input: $input, idempotencyKey: $key) { ${fields} } }`;
export const updateTransactionWith = (
  fields: string,
): string => `mutation ($id: ID!, $input: UpdateTransactionInput!) {
  updateTransaction(id: $id, input: $input) { ${fields} } }`;

export const CREATE_TRANSACTION = createTransactionWith(TRANSACTION_FIELDS);
export const UPDATE_TRANSACTION = updateTransactionWith(TRANSACTION_FIELDS);
export const DELETE_TRANSACTION = 'mutation ($id: ID!) { deleteTransaction(id: $id) }';
export const TRANSACTION = `query ($id: ID!) { transaction(id: $id) { ${TRANSACTION_FIELDS} } }`;
/** The ids of up to 100 transactions a filter selects, and how many it selects in all. */
export const TRANSACTION_IDS = `query ($filter: TransactionFilter) {
  transactions(filter: $filter, first: 100) { totalCount nodes { id } } }`;

// ---------------------------------------------------------------------------------------------
// Budgets and alerts

export const BUDGET_FIELDS = 'id name amount period startDate rollover alertThresholds category { id }';
export const STATUS_FIELDS =
  'periodStart periodEnd budgeted carriedOver available spent remaining percentUsed overBudget';

export const CREATE_BUDGET = `mutation ($input: CreateBudgetInput!) { createBudget(input: $input) { ${BUDGET_FIELDS} } }`;
export const UPDATE_BUDGET = `mutation ($id: ID!, $input: UpdateBudgetInput!) {
  updateBudget(id: $id, input: $input) { ${BUDGET_FIELDS} } }`;
export const DELETE_BUDGET = 'mutation ($id: ID!) { deleteBudget(id: $id) }';
export const BUDGET = `query ($id: ID!) { budget(id: $id) { ${BUDGET_FIELDS} } }`;
export const BUDGETS = `{ budgets { ${BUDGET_FIELDS} } }`;
export const budgetStatusWith = (fields: string): string =>
  `query ($id: ID!, $date: Date) { budget(id: $id) { status(date: $date) { ${fields} } } }`;
export const BUDGET_STATUS = budgetStatusWith(STATUS_FIELDS);
export const BUDGET_HISTORY = `query ($id: ID!, $periods: Int) {
  budget(id: $id) { history(periods: $periods) { ${STATUS_FIELDS} } } }`;

/** Every BudgetAlert field of the contract, with the budget's id and name. */
export const ALERT_FIELDS = `id threshold periodStart periodEnd spent available percentUsed read createdAt
  budget { id name }`;
export const BUDGET_ALERTS = `query ($unreadOnly: Boolean, $first: Int) {
  budgetAlerts(unreadOnly: $unreadOnly, first: $first) { ${ALERT_FIELDS} } }`;
export const MARK_ALERT_READ = `mutation ($id: ID!) { markBudgetAlertRead(id: $id) { id read threshold } }`;
