import { ConfigError, loadConfig } from './config.js';
import { AppStartError } from './errors/app-start-error.js';
import { bootstrap } from './server.js';

// The entry point of `npm start`: configuration, bootstrap, signals. Nothing else.
try {
  const config = loadConfig();
  const server = await bootstrap({ config }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new AppStartError(`Port ${config.port} is already in use; stop the other program or set PORT.`);
    }
    throw error;
  });
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
