import { runCommand } from './cli.js';
import { loadConfig } from './config.js';
import { AppStartError } from './errors/app-start-error.js';
import { bootstrap } from './server.js';

// The entry point of `npm start`: configuration, bootstrap, signals. Nothing else.
await runCommand(async () => {
  const config = loadConfig();
  const server = await bootstrap({ config }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new AppStartError(`Port ${config.port} is already in use; stop the other program or set PORT.`);
    }
    throw error;
  });
  // The first SIGINT or SIGTERM stops cleanly: no new connections, requests in flight (writes
  // included) finish, sockets close, the database closes, then exit 0. A second one exits at once.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
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
