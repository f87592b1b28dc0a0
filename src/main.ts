import { ConfigError, loadConfig } from './config.js';
import { AppStartError } from './errors/app-start-error.js';
import { bootstrap } from './server.js';

// The entry point of `npm start`: configuration, bootstrap, signals. Nothing else.
try {
  const server = await bootstrap({ config: loadConfig() });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('Shutdown failed:', error);
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof AppStartError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
