import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

// GraphiQL from npm, bundled by scripts/build-web.mjs and served at /graphiql: the offline
// counterpart of Apollo Sandbox (which loads from a CDN). It talks to this server only: queries
// and mutations over POST /graphql, subscriptions over graphql-ws on the same path.

// The dialogs and menus (Radix) add a <style> element while open; the page's CSP lets in only
// <style> elements carrying this response's nonce, which they read here (get-nonce).
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce;
if (nonce) (globalThis as { __webpack_nonce__?: string }).__webpack_nonce__ = nonce;

const DEFAULT_QUERY = `# Ledgerline's GraphQL API. Most fields need a token:
# run Login (or register) below, then put its
# accessToken in the Headers tab underneath:
#   { "Authorization": "Bearer <accessToken>" }
# It lives 15 minutes; refreshToken gives a new pair.
# Subscriptions (BudgetAlerts) use the same header.
# Ctrl-Enter runs the operation under the cursor,
# Ctrl-Space completes, the book icon opens the docs.

query Me {
  me {
    email
    name
    currency
  }
}

mutation Login {
  login(input: { email: "you@example.com", password: "your password" }) {
    accessToken
    refreshToken
    expiresIn
  }
}

subscription BudgetAlerts {
  budgetAlert {
    threshold
    percentUsed
    budget {
      name
    }
  }
}
`;

const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  // graphql-ws sends the Headers tab as connectionParams, where the server reads Authorization.
  subscriptionUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
});

createRoot(document.getElementById('graphiql')!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: '{\n  "Authorization": "Bearer "\n}',
    defaultEditorToolsVisibility: 'headers',
    // A token stays in this tab's memory unless the person chooses to keep headers (settings).
    shouldPersistHeaders: false,
  }),
);
