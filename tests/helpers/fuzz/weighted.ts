import fc from 'fast-check';

/**
 * fc.oneof over [weight, arbitrary] pairs, leaving out empty pools (undefined) and zero weights,
 * so generators can be written against pools that may be empty at the time. List the simplest
 * choice first: shrinking tries it (cross-shrink), which keeps counterexamples short.
 */
export function weighted<T>(entries: [number, fc.Arbitrary<T> | undefined][]): fc.Arbitrary<T> {
  const usable = entries
    .filter((entry): entry is [number, fc.Arbitrary<T>] => entry[0] > 0 && entry[1] !== undefined)
    .map(([weight, arbitrary]) => ({ weight, arbitrary }));
  if (usable.length === 0) throw new Error('weighted() needs at least one non-empty arbitrary');
  return fc.oneof({ withCrossShrink: true }, ...usable);
}

/** One of the values, or undefined for an empty list (see weighted). */
export function pick<T>(values: readonly T[]): fc.Arbitrary<T> | undefined {
  return values.length > 0 ? fc.constantFrom(...values) : undefined;
}
