import { cpus, loadavg } from 'node:os';

/**
 * Waits (up to `maxWaitMs`) for the 1-minute load average to fall below half the cores, so a
 * run does not measure someone else's work; returns the load it starts under, for the record.
 */
export async function waitForQuiet(maxWaitMs: number, log: (line: string) => void): Promise<number> {
  const limit = cpus().length / 2;
  const deadline = Date.now() + maxWaitMs;
  let announced = false;
  while (loadavg()[0]! >= limit && Date.now() < deadline) {
    if (!announced) log(`waiting for a quiet machine (load ${loadavg()[0]!.toFixed(2)}, want < ${limit})…`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  return loadavg()[0]!;
}
