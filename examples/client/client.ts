// A typed Ledgerline client with Apollo Client 4, as a frontend would write it: a normalized
// cache kept right by what each write answers, an access token renewed with the refresh token
// when (and only when) the server says it expired, and subscriptions over graphql-ws.
// The suite runs it against the server (tests/example-client.test.ts).
import {
  ApolloClient,
  ApolloLink,
  HttpLink,
  InMemoryCache,
  type ApolloCache,
  type Reference,
} from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation, relayStylePagination } from '@apollo/client/utilities';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { from, switchMap } from 'rxjs';
import {
  RefreshSessionDocument,
  type CreateTransactionMutation,
  type RefreshSessionMutation,
  type RemoveTransactionMutation,
} from './generated.js';

export interface Session {
  accessToken: string;
  refreshToken: string;
}

export interface LedgerlineClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql (WebSocket on the same URL). */
  url: string;
  session: Session;
  /** Called when the refresh token is refused (REFRESH_REVOKED): the user must sign in again. */
  onSignedOut?: () => void;
  fetch?: typeof fetch;
  /** A WebSocket implementation outside browsers (e.g. the `ws` package in Node). */
  webSocketImpl?: unknown;
}

/** The cache's rules: `transactions` pages merge by cursor, one list per filter and sort. */
export const cachePolicies = {
  typePolicies: {
    Query: { fields: { transactions: relayStylePagination(['filter', 'sort']) } },
  },
};

export function createLedgerlineClient(options: LedgerlineClientOptions) {
  let session = options.session;
  const fetchImpl = options.fetch ?? fetch;

  // One refresh at a time: requests that fail together wait for the same new pair (and the
  // server's reuse grace covers another tab refreshing with the same token).
  let refreshing: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    refreshing ??= (async () => {
      const response = await fetchImpl(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: print(RefreshSessionDocument),
          variables: { refreshToken: session.refreshToken },
        }),
      });
      const body = (await response.json()) as { data?: RefreshSessionMutation | null };
      if (!body.data) {
        options.onSignedOut?.();
        throw new Error('Signed out: the refresh token was refused');
      }
      session = body.data.refreshToken;
    })().finally(() => (refreshing = undefined));
    return refreshing;
  };

  const authorization = () => `Bearer ${session.accessToken}`;
  const withToken = new SetContextLink((context) => ({
    headers: { ...context.headers, authorization: authorization() },
  }));
  // extensions.reason tells what helps: only an expired token is worth a refresh and a retry
  // (TOKEN_INVALID, BAD_CREDENTIALS, REFRESH_REVOKED never are: no refresh loop).
  const renewExpiredToken = new ErrorLink(({ error, operation, forward }) => {
    const expired =
      CombinedGraphQLErrors.is(error) &&
      error.errors.some((e) => e.extensions?.['reason'] === 'TOKEN_EXPIRED');
    if (!expired) return;
    return from(refresh()).pipe(switchMap(() => forward(operation)));
  });
  const http = new HttpLink({ uri: options.url, fetch: fetchImpl });
  const sockets = createClient({
    url: options.url.replace(/^http/, 'ws'),
    connectionParams: () => ({ authorization: authorization() }),
    webSocketImpl: options.webSocketImpl,
    lazy: true,
  });

  const client = new ApolloClient({
    cache: new InMemoryCache(cachePolicies),
    link: ApolloLink.split(
      ({ query }) => isSubscriptionOperation(query),
      new GraphQLWsLink(sockets),
      ApolloLink.from([renewExpiredToken, withToken, http]),
    ),
  });
  return {
    client,
    session: () => session,
    async dispose() {
      client.stop();
      await sockets.dispose();
    },
  };
}

/**
 * After createTransaction: the new row in each cached `transactions` list (sorted by DATE
 * descending, the default), before the first row dated earlier. The mutation selected
 * `cursor`, so the edge is like the server's.
 */
export function addCreatedTransaction(
  cache: ApolloCache,
  created: CreateTransactionMutation['createTransaction'],
): void {
  const node = cache.identify(created);
  if (!node) return;
  cache.modify({
    fields: {
      transactions(stored, { readField, toReference }) {
        // relayStylePagination keeps a list as its edges (node: a reference) and pageInfo.
        const existing = stored as { edges?: { cursor: string; node: Reference }[] };
        const edges = existing.edges ?? [];
        if (edges.some((edge) => edge.node.__ref === node)) return existing;
        const at = edges.findIndex((edge) => (readField<string>('date', edge.node) ?? '') < created.date);
        const edge = { __typename: 'TransactionEdge', cursor: created.cursor, node: toReference(node)! };
        const index = at === -1 ? edges.length : at;
        return { ...existing, edges: [...edges.slice(0, index), edge, ...edges.slice(index)] };
      },
    },
  });
}

/** After removeTransaction (or any remove*): the deleted objects leave the cache and its lists. */
export function evictRemoved(
  cache: ApolloCache,
  removed: RemoveTransactionMutation['removeTransaction']['removed'][],
): void {
  for (const { id, typename } of removed) cache.evict({ id: cache.identify({ __typename: typename, id }) });
  cache.gc();
}
