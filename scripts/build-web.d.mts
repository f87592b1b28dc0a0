/** Bundles the dashboard page and GraphiQL into outdir (default dist/web) and returns outdir. */
export function buildWeb(outdir?: string): Promise<string>;
