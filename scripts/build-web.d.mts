/** Bundles the dashboard page into outdir (default dist/web) and returns outdir. */
export function buildWeb(outdir?: string): Promise<string>;
