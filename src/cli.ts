import { ConfigError } from './config.js';
import { AppStartError } from './errors/app-start-error.js';

/**
 * Runs a command (the server, a maintenance script). A misconfiguration or a start the operator
 * can fix (ConfigError, AppStartError: a bad setting, the port taken, the embedded database held
 * by a running server) is printed as its one line, without a stack, and exits 1.
 */
export async function runCommand(
  command: () => Promise<void>,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<void> {
  try {
    await command();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AppStartError) {
      console.error(error.message);
      exit(1);
      return;
    }
    throw error;
  }
}
