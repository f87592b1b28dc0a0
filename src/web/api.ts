import { createClient, type Client } from 'graphql-ws';
import { LOGOUT, REFRESH, type AuthPayload } from './queries.js';

/** Renew the access token this long before it runs out. */
const RENEW_BEFORE_MS = 60_000;
/** graphql-ws closes a socket with this when its token runs out or its sign-in ends (4403 Forbidden). */
const SOCKET_FORBIDDEN = 4403;

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; reason?: string };
}

/** What POST /graphql answered, with the HTTP status for when there is no body to read. */
interface Answer<T> {
  data?: T | null;
  errors?: GraphQLErrorBody[];
  status: number;
}

/** An error the API answered, with its code and reason (extensions) when it gave them. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** The sign-in is over (the refresh token was refused): the page goes back to its sign-in form. */
export class SessionEnded extends Error {}

/** One subscription of the page's socket: its document, and what to do with each event's data. */
export interface LiveSubscription {
  query: string;
  onEvent: (data: unknown) => void;
}

/** A LiveSubscription whose events have the data type T. */
export const live = <T>(query: string, onEvent: (data: T) => void): LiveSubscription => ({
  query,
  onEvent: (data) => onEvent(data as T),
});

interface Session {
  accessToken: string;
  refreshToken: string;
  /** When the access token runs out, by this browser's clock (from expiresIn, so skew does not matter). */
  expiresAt: number;
}

/**
 * The public GraphQL API, as any frontend uses it: POST /graphql and graphql-ws on the same path.
 * It keeps the sign-in (in memory only: a reload signs out) alive: the access token is renewed
 * with the refresh token a minute before it runs out, and again whenever the server says it has
 * expired (a sleeping laptop misses timers), then the request is retried once. A refresh token
 * works once, so one renewal at a time serves every request that needs it.
 */
export class Api {
  private session: Session | null = null;
  /** The server said this access token expired, whatever our clock thinks. */
  private expiredToken: string | null = null;
  private renewing: Promise<void> | undefined;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private sessionEndedListener: (message: string) => void = () => undefined;

  /** Called once when the sign-in cannot be renewed any more, with a message for the person. */
  onSessionEnded(listener: (message: string) => void): void {
    this.sessionEndedListener = listener;
  }

  /** Starts a sign-in from what login or register answered. */
  start(payload: AuthPayload): void {
    this.setSession(payload);
  }

  /** Signs out: revokes the refresh token (best effort) and forgets the tokens. */
  async signOut(): Promise<void> {
    const session = this.session;
    this.forget();
    if (!session) return;
    await this.send(LOGOUT, { refreshToken: session.refreshToken }, session.accessToken).catch(
      () => undefined,
    );
  }

  /** A query or mutation without a token (login, register). */
  async anonymous<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    return dataOf(await this.send<T>(query, variables, null));
  }

  /** A query or mutation as the signed-in user; renews the token and retries once if it expired. */
  async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const token = await this.validToken();
    const first = await this.send<T>(query, variables, token);
    if (!first.errors?.some((error) => error.extensions?.reason === 'TOKEN_EXPIRED'))
      return this.checked(first);
    this.expiredToken = token;
    return this.checked(await this.send<T>(query, variables, await this.validToken()));
  }

  /**
   * Runs the subscriptions on one socket, calling each one's onEvent for its events; returns the
   * client to dispose on sign-out. The socket signs in with the current token each time it
   * connects. When the server closes it because that token ran out (4403), the client connects
   * again, renewing the token first if no renewal has happened yet; onReconnected then lets the
   * page catch up on what it missed.
   */
  subscribe(subscriptions: LiveSubscription[], onReconnected: () => void): Client {
    let socketToken: string | undefined;
    const client = createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: async () => {
        try {
          socketToken = await this.validToken();
        } catch (error) {
          // Signed out: fatal for the socket. A network failure: try with the token we have.
          if (error instanceof SessionEnded || !this.session) throw error;
          socketToken = this.session.accessToken;
        }
        return { authorization: `Bearer ${socketToken}` };
      },
      retryAttempts: Infinity,
      // 0.5 s, 1 s, 2 s … up to 30 s, with jitter so many pages do not come back at once.
      retryWait: (retries) =>
        new Promise((resolve) =>
          setTimeout(resolve, Math.min(30_000, 500 * 2 ** retries) + Math.random() * 500),
        ),
      on: {
        connected: (_socket, _payload, wasRetry) => {
          if (wasRetry) onReconnected();
        },
        closed: (event) => {
          const code = (event as { code?: number } | undefined)?.code;
          if (code === SOCKET_FORBIDDEN && socketToken) this.expiredToken = socketToken;
        },
      },
    });
    for (const { query, onEvent } of subscriptions) {
      client.subscribe(
        { query },
        {
          next: (result) => result.data && onEvent(result.data),
          error: (error) => console.warn('subscription error', error),
          complete: () => undefined,
        },
      );
    }
    return client;
  }

  /** The access token, renewed first when it is about to run out or the server said it had. */
  private async validToken(): Promise<string> {
    const session = this.session;
    if (!session) throw new SessionEnded('Not signed in');
    const expired = this.expiredToken === session.accessToken;
    if (expired || session.expiresAt - Date.now() < RENEW_BEFORE_MS / 2)
      await this.renew(session.accessToken);
    if (!this.session) throw new SessionEnded('Not signed in');
    return this.session.accessToken;
  }

  /** Renews `oldToken` once: a caller that comes with a token already replaced has nothing to do. */
  private renew(oldToken: string): Promise<void> {
    if (!this.session || this.session.accessToken !== oldToken) return Promise.resolve();
    this.renewing ??= this.refresh().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async refresh(): Promise<void> {
    const { refreshToken } = this.session!;
    // A network failure throws here and keeps the sign-in: the next request tries again.
    const result = await this.send<{ refreshToken: AuthPayload }>(REFRESH, { refreshToken }, null);
    if (this.session?.refreshToken !== refreshToken) return; // signed out meanwhile
    if (result.data) {
      this.setSession(result.data.refreshToken);
      return;
    }
    const error = result.errors?.[0];
    // Refused (spent, revoked or past its lifetime): sign in again. Anything else (rate limited,
    // a server error) keeps the sign-in for the next try.
    if (error?.extensions?.code !== 'UNAUTHENTICATED') return void dataOf(result);
    this.endSession('Your session has ended. Please sign in again.');
    throw new SessionEnded(error.message);
  }

  private setSession(payload: AuthPayload): void {
    this.session = {
      accessToken: payload.accessToken,
      refreshToken: payload.refreshToken,
      expiresAt: Date.now() + payload.expiresIn * 1000,
    };
    this.expiredToken = null;
    clearTimeout(this.renewTimer);
    const token = payload.accessToken;
    // setTimeout's longest delay is about 24.8 days.
    const delay = Math.min(2 ** 31 - 1, Math.max(0, this.session.expiresAt - Date.now() - RENEW_BEFORE_MS));
    this.renewTimer = setTimeout(() => void this.renew(token).catch(() => undefined), delay);
  }

  private forget(): void {
    clearTimeout(this.renewTimer);
    this.session = null;
    this.expiredToken = null;
  }

  private endSession(message: string): void {
    if (!this.session) return;
    this.forget();
    this.sessionEndedListener(message);
  }

  /** The data, or an ApiError; a token the server refuses for good ends the sign-in. */
  private checked<T>(result: Answer<T>): T {
    const reason = result.errors?.find((error) => error.extensions?.code === 'UNAUTHENTICATED')?.extensions
      ?.reason;
    if (reason === 'TOKEN_INVALID' || reason === 'TOKEN_MISSING' || reason === 'TOKEN_EXPIRED') {
      this.endSession('Your session has ended. Please sign in again.');
      throw new SessionEnded(result.errors![0]!.message);
    }
    return dataOf(result);
  }

  private async send<T>(
    query: string,
    variables: Record<string, unknown>,
    token: string | null,
  ): Promise<Answer<T>> {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: GraphQLErrorBody[] };
    return { ...body, status: response.status };
  }
}

function dataOf<T>(result: Answer<T>): T {
  const error = result.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code, error.extensions?.reason);
  if (!result.data) throw new ApiError(`HTTP ${result.status}`);
  return result.data;
}
