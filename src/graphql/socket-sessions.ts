import type { WebSocket } from 'ws';
import type { Clock } from '../clock.js';
import type { AppPubSub } from '../pubsub/pubsub.js';

/** Close code for a socket whose sign-in is no longer valid, as graphql-ws uses for a refused token. */
export const FORBIDDEN = 4403;
/** How often sockets are checked for an access token that ran out. */
const EXPIRY_SWEEP_MS = 1000;

interface SignedInSocket {
  socket: WebSocket;
  sessionId?: string;
  /** When the access token it connected with expires (ms since the epoch). */
  expiresAt: number;
}

/**
 * The open sockets of each signed-in user. A socket lives only as long as its sign-in: it is
 * closed with 4403 when its access token expires (checked every second against the injected
 * clock), and when its session, or every session of its user, ends on any server instance
 * (SESSIONS_ENDED through the pub/sub: logout, password change, a reused refresh token).
 */
export class SocketSessions {
  private readonly byUser = new Map<string, { sockets: Set<SignedInSocket>; stop: () => void }>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly pubSub: AppPubSub,
    private readonly clock: Clock,
  ) {
    this.sweep = setInterval(() => this.closeExpired(), EXPIRY_SWEEP_MS);
    this.sweep.unref();
  }

  count(userId: string): number {
    return this.byUser.get(userId)?.sockets.size ?? 0;
  }

  add(userId: string, entry: SignedInSocket): void {
    let user = this.byUser.get(userId);
    if (!user) {
      user = { sockets: new Set(), stop: this.listenForEndedSessions(userId) };
      this.byUser.set(userId, user);
    }
    user.sockets.add(entry);
    entry.socket.once('close', () => this.remove(userId, entry));
  }

  close(): void {
    clearInterval(this.sweep);
    for (const user of this.byUser.values()) user.stop();
    this.byUser.clear();
  }

  private remove(userId: string, entry: SignedInSocket): void {
    const user = this.byUser.get(userId);
    if (!user) return;
    user.sockets.delete(entry);
    if (user.sockets.size > 0) return;
    user.stop();
    this.byUser.delete(userId);
  }

  private closeExpired(): void {
    const now = this.clock.now();
    for (const user of this.byUser.values()) {
      for (const entry of user.sockets) {
        if (entry.expiresAt <= now) entry.socket.close(FORBIDDEN, 'Access token expired');
      }
    }
  }

  /** Listens on the user's topic while the user has sockets here; returns how to stop. */
  private listenForEndedSessions(userId: string): () => void {
    const events = this.pubSub.subscribe('SESSIONS_ENDED', userId);
    void (async () => {
      for await (const event of events) {
        for (const entry of this.byUser.get(userId)?.sockets ?? []) {
          if (event.sessionId === undefined || event.sessionId === entry.sessionId) {
            entry.socket.close(FORBIDDEN, 'Signed out');
          }
        }
      }
    })();
    return () => void events.return?.();
  }
}
