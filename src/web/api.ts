import { createClient, type Client } from 'graphql-ws';

/** The public GraphQL API, as any frontend uses it: POST /graphql and graphql-ws on the same path. */
export class Api {
  private token: string | null = null;

  /** Kept in memory only: a reload signs out. */
  setToken(token: string | null): void {
    this.token = token;
  }

  async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length || !body.data)
      throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
    return body.data;
  }

  /** Calls onEvent for each event of a subscription; returns the client to dispose on sign-out. */
  subscribe<T>(query: string, onEvent: (data: T) => void): Client {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    const client = createClient({ url, connectionParams: { authorization: `Bearer ${this.token}` } });
    client.subscribe<T>(
      { query },
      {
        next: (result) => result.data && onEvent(result.data as T),
        error: (error) => console.warn('subscription error', error),
        complete: () => undefined,
      },
    );
    return client;
  }
}
