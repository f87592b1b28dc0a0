/** What a started server tells a person: where to go, and what it runs on. */
export interface ServerSummary {
  /** The GraphQL endpoint (Apollo Sandbox in a browser outside production). */
  url: string;
  dashboardUrl: string;
  graphiqlUrl: string;
  /** e.g. "embedded PGlite in /home/me/ledgerline/.data" or "PostgreSQL 127.0.0.1:5432/ledgerline". */
  database: string;
  /** e.g. "Redis 127.0.0.1:6379" or "in-process (one server)". */
  pubSub: string;
  metricsUrl?: string;
  production: boolean;
}

/** The start banner for a terminal; logs (JSON) carry the same facts in the "server listening" line. */
export function printBanner(summary: ServerSummary, write: (line: string) => void = console.log): void {
  const rows: [string, string][] = [
    ['GraphQL', `${summary.url}${summary.production ? '' : '  (open it in a browser: Apollo Sandbox)'}`],
    ['GraphiQL', `${summary.graphiqlUrl}  (works offline)`],
    ['Dashboard', summary.dashboardUrl],
    ['Database', summary.database],
    ['Live alerts', summary.pubSub],
  ];
  if (summary.metricsUrl) rows.push(['Metrics', summary.metricsUrl]);
  write('');
  write('  Ledgerline is running');
  for (const [label, value] of rows) write(`  ${label.padEnd(12)}${value}`);
  write('  Stop it with Ctrl-C; your data stays.');
  write('');
}
