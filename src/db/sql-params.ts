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
}
