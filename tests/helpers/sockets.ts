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
  /** The close reason, once closed. */
  closeReason(): string | undefined;
  isConnected(): boolean;
}

export function connect(url: string, connectionParams: Record<string, unknown>): Socket {
  let onConnected: () => void = () => undefined;
  let onClosed: (code: number) => void = () => undefined;
  let connectedFlag = false;
  let reason: string | undefined;
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
      closed: (event) => {
        const { code, reason: why } = event as { code: number; reason?: unknown };
        reason = String(why ?? '');
        onClosed(code);
      },
    },
  });
  return { client, connected, closed, closeReason: () => reason, isConnected: () => connectedFlag };
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

/** A raw graphql-transport-ws socket: to send exactly what an attacker would. */
export async function rawSocket(
  url: string,
  token: string,
): Promise<{
  socket: WebSocket;
  replies: Record<string, unknown>[];
  closed: Promise<number>;
}> {
  const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws');
  const replies: Record<string, unknown>[] = [];
  const closed = new Promise<number>((resolve) => socket.once('close', resolve));
  socket.on('message', (data) => replies.push(JSON.parse(String(data))));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  const deadline = Date.now() + 5000;
  while (!replies.some((reply) => reply.type === 'connection_ack')) {
    if (Date.now() > deadline) throw new Error('no connection_ack within 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { socket, replies, closed };
}

/** Waits until every operation id got its final answer (error or complete). */
export async function repliesFor(
  replies: Record<string, unknown>[],
  ids: string[],
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ids.every((id) => replies.some((reply) => reply.id === id && reply.type !== 'next'))) {
    if (Date.now() > deadline)
      throw new Error(`no answer for all of ${ids.length} operations within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
