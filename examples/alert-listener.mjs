// Prints your budget alerts as they happen. Usage: TOKEN=<accessToken> node examples/alert-listener.mjs
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const client = createClient({
  url: process.env.URL ?? 'ws://localhost:4000/graphql',
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${process.env.TOKEN}` },
  shouldRetry: (event) => event?.code !== 4403, // a refused token will not get better
  on: { connected: () => console.error('Listening for budget alerts…') },
});
client.subscribe(
  {
    query:
      'subscription { budgetAlert { threshold spent available percentUsed periodStart budget { name } } }',
  },
  {
    next: ({ data }) => console.log(JSON.stringify(data.budgetAlert)),
    error: (error) => (console.error('Subscription failed:', error.reason || error), process.exit(1)),
    complete: () => process.exit(0),
  },
);
