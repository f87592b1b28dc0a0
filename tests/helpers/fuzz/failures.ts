/** A broken rule with everything needed to replay it. */
export interface Failure {
  /** The operation and the rules broken, e.g. "budgets: INTERNAL_SERVER_ERROR at budgets.2.status". */
  headline: string;
  /** The server's logged cause, if any. */
  cause: string;
  /** headline, document, variables, response, cause and the rows the request names. */
  report: string;
}

/**
 * The failures of one operation under FUZZ_KEEP_GOING, grouped by headline and cause (numbers and
 * ids masked), each kept with its shortest report.
 */
export class FailureLog {
  private readonly byCause = new Map<string, { count: number; report: string }>();

  add(failure: Failure): void {
    const key = `${failure.headline} ${failure.cause}`.replace(/[0-9a-f-]{36}|\d+/gi, '#');
    const seen = this.byCause.get(key);
    const count = (seen?.count ?? 0) + 1;
    const report = seen && seen.report.length <= failure.report.length ? seen.report : failure.report;
    this.byCause.set(key, { count, report });
  }

  summary(): string | undefined {
    if (this.byCause.size === 0) return undefined;
    const entries = [...this.byCause.values()].map(({ count, report }) => `(${count}×) ${report}`);
    return `${this.byCause.size} distinct failure(s):\n\n${entries.join('\n\n')}`;
  }
}
