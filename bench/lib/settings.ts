/** How long and how big a run is: the full suite, or --quick (smaller data, short runs). */
export interface Settings {
  quick: boolean;
  sizes: { big: number; small: number };
  warmupSeconds: number;
  seconds: number;
  /** Targets are measured in turn (A, B, C, A, B, C…) this many times; figures are the means. */
  rounds: number;
  log: (line: string) => void;
}

export function settingsFrom(argv: string[]): Settings {
  const quick = argv.includes('--quick');
  const rounds = Number(argv.find((arg) => arg.startsWith('--rounds='))?.slice('--rounds='.length));
  return {
    quick,
    sizes: quick ? { big: 100_000, small: 10_000 } : { big: 1_000_000, small: 10_000 },
    warmupSeconds: quick ? 1 : 3,
    seconds: quick ? 3 : 10,
    rounds: Number.isInteger(rounds) && rounds > 0 ? rounds : quick ? 1 : 2,
    log: (line) => console.error(line),
  };
}
