import { errorCodes, type Reply } from './checks.js';

/**
 * How the fuzzed requests fared, per operation: how many got through without any error (the
 * share that reached the resolvers with valid input) and which error codes the rest had. Printed
 * at the end, to see whether generation still reaches the resolvers after a schema change.
 */
export class FuzzStats {
  private readonly byOperation = new Map<
    string,
    { runs: number; clean: number; codes: Map<string, number> }
  >();

  record(operation: string, reply: Reply): void {
    let entry = this.byOperation.get(operation);
    if (!entry) this.byOperation.set(operation, (entry = { runs: 0, clean: 0, codes: new Map() }));
    entry.runs++;
    const codes = errorCodes(reply);
    if (codes.length === 0) entry.clean++;
    for (const code of new Set(codes)) entry.codes.set(code, (entry.codes.get(code) ?? 0) + 1);
  }

  summary(): string {
    const lines = [...this.byOperation].map(([operation, { runs, clean, codes }]) => {
      const counted = [...codes].sort((x, y) => y[1] - x[1]).map(([code, n]) => `${code} ${n}`);
      const share = Math.round((100 * clean) / runs);
      return `  ${operation.padEnd(20)} ${String(runs).padStart(4)} requests, ${share}% without errors; ${counted.join(', ')}`;
    });
    return `fuzz: requests per operation (shrinking included)\n${lines.join('\n')}`;
  }
}
