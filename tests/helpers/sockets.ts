import { createClient, type Client } from 'graphql-ws';
import type { Redis } from 'ioredis';
import WebSocket from 'ws';

/** graphql-ws clients against a test server, as a frontend or listener would open them. */

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

export interface Socket {
  client: Client;
  /** Resolves when the server acknowledged the connection. */
  connected: Promise<void>;
  /** Resolves with the close code. */
  closed: Promise<number>;
  isConnected(): boolean;
}

export function connect(url: string, connectionParams: Record<string, unknown>): Socket {
  let onConnected: () => void = () => undefined;
  let onClosed: (code: number) => void = () => undefined;
  let connectedFlag = false;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: {
      connected: () => {
        connectedFlag = true;
        onConnected();
      },
      closed: (event) => onClosed((event as { code: number }).code),
    },
  });
  return { client, connected, closed, isConnected: () => connectedFlag };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Waits (at most 3 s) until every channel has a subscriber in Redis: a server instance listens. */
export async function waitForRedisSubscribers(redis: Redis, channels: string[]): Promise<void> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const reply = (await redis.call('PUBSUB', 'NUMSUB', ...channels)) as (string | number)[];
    const counts = reply.filter((_, i) => i % 2 === 1).map(Number);
    if (counts.every((count) => count > 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
