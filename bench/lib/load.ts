import autocannon from 'autocannon';
import type { Service } from './processes.js';

export interface LoadOptions {
  url: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  headers?: Record<string, string>;
  /** A fixed body, or one made per request (e.g. to rotate accounts). */
  body: string | (() => string);
  /** Whether a response body is a real answer (not an error page that happens to be fast). */
  verify: (body: string) => boolean;
  /** How long one request may take before it counts as a timeout (autocannon's default: 10 s). */
  timeoutSeconds?: number;
  /**
   * One more request after the warm-up, answered before the measured seconds start. Requests the
   * warm-up left in flight keep running on the server; where they queue on a lock for seconds
   * (writes evaluating budgets at a million rows), they would otherwise fill the measured window.
   */
  settleAfterWarmup?: boolean;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Server CPU time per answered request, in ms (user + system of the server process). */
  cpuMsPerRequest?: number;
  rssMb?: number;
}

/**
 * Warms up, then measures `seconds` of load at `connections`. Any non-2xx answer, connection
 * error or body that fails `verify` fails the run: a benchmark of errors measures nothing.
 */
export async function measureLoad(options: LoadOptions, service?: Service): Promise<LoadResult> {
  await probe(options);
  if (options.warmupSeconds > 0) await fire(options, options.warmupSeconds, { warmup: true });
  if (options.settleAfterWarmup) await probe(options);
  const cpuBefore = service?.cpuSeconds();
  const result = await fire(options, options.seconds);
  const cpuAfter = service?.cpuSeconds();
  const answered = result['2xx'];
  return {
    requestsPerSecond: answered / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: answered,
    cpuMsPerRequest:
      cpuBefore !== undefined && cpuAfter !== undefined
        ? ((cpuAfter - cpuBefore) * 1000) / answered
        : undefined,
    rssMb: service?.rssMb(),
  };
}

/** One request first: a wrong body fails here with the answer shown, not as a count. */
async function probe(options: LoadOptions): Promise<void> {
  const response = await fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof options.body === 'string' ? options.body : options.body(),
  });
  const text = await response.text();
  if (!response.ok || !options.verify(text)) {
    throw new Error(`${options.url} answered ${response.status}: ${text.slice(0, 500)}`);
  }
}

async function fire(
  options: LoadOptions,
  seconds: number,
  { warmup = false } = {},
): Promise<autocannon.Result> {
  const { body } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.timeoutSeconds ? { timeout: options.timeoutSeconds } : {}),
    ...(typeof body === 'string'
      ? { body }
      : { requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, body: body() }) }] }),
    verifyBody: (body) => options.verify(String(body ?? '')),
  });
  const failures = result.non2xx + result.errors + result.timeouts + result.mismatches;
  if (failures > 0 || (result['2xx'] === 0 && !warmup)) {
    throw new Error(
      `load on ${options.url} failed: ${result['2xx']} ok, ${result.non2xx} non-2xx, ${result.errors} errors, ` +
        `${result.timeouts} timeouts, ${result.mismatches} bad bodies`,
    );
  }
  return result;
}

/**
 * p50 of each of several calls on one connection, taking turns (a, b, a, b, …), so a machine
 * that grows busier or quieter during the measurement weighs on each the same.
 */
export async function interleavedP50(
  calls: (() => Promise<void>)[],
  count: number,
  warmup = 2,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) for (const call of calls) await call();
  const times: number[][] = calls.map(() => []);
  for (let i = 0; i < count; i++) {
    for (const [index, call] of calls.entries()) {
      const start = performance.now();
      await call();
      times[index]!.push(performance.now() - start);
    }
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
}
