/**
 * The heavy tests (concurrency, property and fuzz runs) size themselves by TEST_SCALE (default 1;
 * 0.2 for a quick pass, 5 for a long soak), and take their timeouts from the work they do, so a
 * busy machine makes them slower, never red.
 */
export const TEST_SCALE = Number(process.env.TEST_SCALE ?? 1);

/** `n` units of work at the current scale (at least 1). */
export const scaled = (n: number): number => Math.max(1, Math.round(n * TEST_SCALE));

/**
 * A timeout for `units` of work, each allowed `msPerUnit` (several times what it takes on an idle
 * machine), plus a minute for starting servers and checking results.
 */
export const timeoutFor = (units: number, msPerUnit: number): number => 60_000 + units * msPerUnit;
