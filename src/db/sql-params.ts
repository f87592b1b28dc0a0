/**
 * Collects a statement's parameters while its SQL is written, in either placeholder style:
 * `numbered` ($1, $2: node-postgres, prepared statements) or `question` (?: MikroORM's execute,
 * through knex). Arrays always travel as one PostgreSQL array, so a statement's text does not
 * depend on how many values a list has.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(private readonly style: 'numbered' | 'question') {}

  /** The placeholder of one value. */
  add(value: unknown): string {
    this.values.push(value);
    return this.style === 'numbered' ? `$${this.values.length}` : '?';
  }

  /** A typed PostgreSQL array of `values`, e.g. array(['a', 'b'], 'uuid'). */
  array(values: unknown[], type: string): string {
    if (this.style === 'numbered') return `${this.add(values)}::${type}[]`;
    // knex would spread a JS array into a list, so each element gets its own placeholder.
    return `array[${values.map((value) => this.add(value)).join(', ')}]::${type}[]`;
  }

  /**
   * A typed array of plain values (numbers, dates, ids, words; never free text) as one parameter
   * in either style, so a list of thousands of values is still one placeholder.
   */
  simpleArray(values: (string | number | null)[], type: string): string {
    if (this.style === 'numbered') return `${this.add(values)}::${type}[]`;
    for (const value of values) {
      if (typeof value === 'string' && !PLAIN.test(value)) throw new Error(`Not a plain value: ${value}`);
    }
    return `${this.add(`{${values.map((value) => value ?? 'NULL').join(',')}}`)}::${type}[]`;
  }
}

/** What an array literal may hold unquoted. */
const PLAIN = /^[A-Za-z0-9_.:-]+$/;
