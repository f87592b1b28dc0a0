// The areas of src/ and which areas each may import (values; type-only imports are free): the
// dependency direction of docs/architecture.md, checked by eslint-plugin-boundaries on every
// lint. The table must stay acyclic; `checkAcyclic` refuses to load a table with a cycle.
import boundaries from 'eslint-plugin-boundaries';

/** Shared building blocks below every feature, and what each of them may use. */
const SHARED = {
  config: [],
  logger: [],
  // Prometheus instruments and the /metrics listener. db, auth and context use only its types
  // (free); db and auth report through hooks the composition root connects to it.
  metrics: [],
  clock: [],
  calendar: [],
  errors: [],
  limits: ['errors'],
  pubsub: ['logger'],
  money: ['calendar', 'errors'],
  db: ['errors', 'logger'],
  auth: ['clock', 'errors'],
  validation: ['auth'],
  context: ['auth', 'db'],
  cli: ['config', 'errors'],
  banner: [],
};
const BELOW_FEATURES = Object.keys(SHARED);

/** Features (src/modules/<name>) and the other features each may use. */
const FEATURES = {
  users: [],
  ledger: [],
  categories: ['ledger', 'users'],
  accounts: ['users', 'ledger'],
  budgets: ['categories', 'ledger', 'users'],
  alerts: ['budgets', 'users'],
  // How a stored rule matches and changes a transaction (pure), and the read of a user's rules.
  'rule-matching': [],
  transactions: ['accounts', 'alerts', 'categories', 'ledger', 'rule-matching', 'users'],
  // Rules: CRUD (the table is here) and applyRules, which writes through transactions.
  rules: ['categories', 'rule-matching', 'transactions', 'users'],
  // Recurring transactions: schedules (the tables are here) and the ticker, which writes through transactions.
  recurring: ['accounts', 'categories', 'transactions', 'users'],
  reports: ['budgets', 'categories', 'ledger', 'transactions', 'users'],
  export: ['transactions', 'users'],
  // Bank files: parsing (pure), preview/commit through the transactions writer, undo, POST /import.
  imports: ['accounts', 'categories', 'ledger', 'rule-matching', 'transactions', 'users'],
};

/** Transports above the features: they know none, the composition root hands them what they serve. */
const TRANSPORTS = {
  http: [...BELOW_FEATURES],
  graphql: ['http', ...BELOW_FEATURES],
};

const area = (name) => ({ type: 'area', captured: { name } });
const feature = (name) => ({ type: 'feature', captured: { name } });

function checkAcyclic(graph) {
  const state = new Map();
  const visit = (node, path) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting')
      throw new Error(`eslint.areas.js: cycle ${[...path, node].join(' -> ')}`);
    state.set(node, 'visiting');
    for (const next of graph[node] ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of Object.keys(graph)) visit(node, []);
}
checkAcyclic({ ...SHARED, ...FEATURES, ...TRANSPORTS });

const policies = [
  // The composition root (main, server, schema, entities) and the scripts wire everything.
  { from: { element: { type: 'root' } }, allow: { to: { element: { type: '*' } } } },
  { from: { element: area('scripts') }, allow: { to: { element: { type: '*' } } } },
  { allow: { dependency: { kind: 'type' } } },
  ...Object.entries(SHARED).map(([name, uses]) => ({
    from: { element: area(name) },
    allow: { to: { element: uses.map(area) } },
  })),
  ...Object.entries(FEATURES).map(([name, uses]) => ({
    from: { element: feature(name) },
    allow: { to: { element: [...uses.map(feature), ...BELOW_FEATURES.map(area)] } },
  })),
  ...Object.entries(TRANSPORTS).map(([name, uses]) => ({
    from: { element: area(name) },
    allow: { to: { element: uses.map(area) } },
  })),
].filter((policy) => !policy.allow.to || policy.allow.to.element.length !== 0);

export const areaBoundaries = {
  files: ['src/**/*.ts'],
  ignores: ['src/web/**'],
  plugins: { boundaries },
  settings: {
    // Resolves './x.js' to the x.ts beside it, as TypeScript does.
    'import/resolver': { typescript: { project: './tsconfig.json' } },
    'boundaries/include': ['src/**/*.ts'],
    'boundaries/legacy-warnings': false,
    'boundaries/elements': [
      { type: 'feature', pattern: 'src/modules/*', capture: ['name'] },
      // Top-level files are areas of their own: matched as files (the plugin's deprecated 'file'
      // mode, hence legacy-warnings off); its newer file descriptors do not make elements.
      { type: 'root', pattern: 'src/{main,server,schema,entities}.ts', mode: 'file' },
      { type: 'area', pattern: 'src/*.ts', mode: 'file', capture: ['name'] },
      { type: 'area', pattern: 'src/*', capture: ['name'] },
    ],
  },
  rules: {
    'boundaries/dependencies': ['error', { default: 'disallow', policies }],
  },
};
