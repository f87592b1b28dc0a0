import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * Logs a Redis outage once: a warning when the first of the server's Redis connections fails,
 * and one line when every connection that failed is ready again. ioredis reports each reconnect
 * attempt of each connection as an error (several a second); logged as they come, an outage of
 * half a minute filled the log with stacks.
 */
export class RedisOutages {
  private readonly down = new Set<Redis>();

  constructor(private readonly log: Logger) {}

  /** Follows one connection (`name` says which, in the warning). */
  watch(client: Redis, name: string): void {
    client.on('error', (error: Error) => {
      if (this.down.has(client)) return;
      if (this.down.size === 0) {
        this.log.warn(
          { connection: name, reason: error.message },
          'Redis unreachable, retrying: writes and alerts go on; live delivery to other instances waits',
        );
      }
      this.down.add(client);
    });
    client.on('ready', () => {
      if (this.down.delete(client) && this.down.size === 0) this.log.info('Redis reachable again');
    });
  }
}
