/**
 * Whether two descriptions of a bank row name the same thing, e.g. "CARD 4411 TESCO STORES 2231"
 * and "Tesco Stores": case, punctuation and digits aside, one contains the other or they share
 * most of their words or letter pairs. Either text missing counts as similar: amount, type and a
 * date within days already say much, and a bank that dropped the text should not hide a duplicate.
 */
export function similarText(a: string | null, b: string | null): boolean {
  const left = normalized(a);
  const right = normalized(b);
  if (left === '' || right === '') return true;
  if (left.includes(right) || right.includes(left)) return true;
  return wordOverlap(left, right) >= 0.5 || pairOverlap(left, right) >= 0.6;
}

const normalized = (text: string | null): string =>
  (text ?? '')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Shared words over the words of the shorter text. */
function wordOverlap(a: string, b: string): number {
  const left = new Set(a.split(' '));
  const right = new Set(b.split(' '));
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / Math.min(left.size, right.size);
}

/** Sørensen–Dice coefficient of letter pairs (spaces removed). */
function pairOverlap(a: string, b: string): number {
  const pairs = (text: string): Map<string, number> => {
    const squeezed = text.replace(/ /g, '');
    const counts = new Map<string, number>();
    for (let i = 0; i < squeezed.length - 1; i++) {
      const pair = squeezed.slice(i, i + 2);
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
    return counts;
  };
  const left = pairs(a);
  const right = pairs(b);
  let shared = 0;
  let total = 0;
  for (const [pair, count] of left) {
    shared += Math.min(count, right.get(pair) ?? 0);
    total += count;
  }
  for (const count of right.values()) total += count;
  return total === 0 ? 0 : (2 * shared) / total;
}
