import { printBanner } from './banner.js';
import { runCommand } from './cli.js';
import { loadConfig } from './config.js';
import { bootstrap } from './server.js';

/**
 * Another signal within this time is the same request to stop: a terminal's Ctrl-C reaches both
 * `npm start` and the server, and npm forwards its copy too (under `npm run dev`, node --watch
 * passes it on as SIGTERM).
 */
const SAME_SIGNAL_MS = 1000;

// The entry point of `npm start`: configuration, bootstrap, banner, signals. Nothing else.
await runCommand(async () => {
  const config = loadConfig();
  // A person at a terminal gets the banner; a log collector the "server listening" JSON line.
  const server = await bootstrap({ config, announce: process.stdout.isTTY ? printBanner : undefined });

  // The first SIGINT or SIGTERM stops cleanly: no new connections, requests in flight (writes
  // included) finish, sockets close, the database closes, then exit 0. A later signal exits at once.
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (first) {
      if (Date.now() - first.at < SAME_SIGNAL_MS) return;
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    first = { signal, at: Date.now() };
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
});
