// Prints your budget alerts as they happen. Usage: TOKEN=<accessToken> node examples/alert-listener.mjs
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.URL ?? 'ws://localhost:4000/graphql';
if (!process.env.TOKEN) {
  console.error('Set TOKEN to your access token: TOKEN=<accessToken> node examples/alert-listener.mjs');
  process.exit(1);
}
let connected = false;
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${process.env.TOKEN}` },
  // Once connected, a dropped connection is retried; a server never reached, or a refused token, is not.
  shouldRetry: (event) => connected && event?.code !== 4403,
  on: {
    connected: () => ((connected = true), console.error('Listening for budget alerts…')),
    error: () => connected || (console.error(`Cannot reach ${url}: is the server running?`), process.exit(1)),
  },
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
