import type { IncomingMessage } from 'node:http';

/**
 * The client address for rate limits. X-Forwarded-For is believed only behind a trusted proxy
 * (TRUST_PROXY), since anyone can send it; then its first entry is the original client.
 */
export function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
