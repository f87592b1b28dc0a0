import { LRUCache } from 'lru-cache';
import { RE2JS, RE2JSException } from 're2js';
import { toCents } from '../../money/money.js';

/**
 * How a stored rule matches a transaction and what it changes: pure functions, no GraphQL and no
 * database, so the transactions module (rules on create) and the rules module (CRUD, applyRules)
 * share exactly one definition. Patterns are RE2 (re2js): matching is linear in the text, so no
 * pattern can stall the server; JavaScript's RegExp never sees a user's pattern.
 */

/** What a condition looks at. */
export type ConditionField = 'DESCRIPTION' | 'PAYEE';
export type ConditionOperator = 'CONTAINS' | 'STARTS_WITH' | 'EQUALS' | 'REGEX';

export interface StoredCondition {
  field: ConditionField;
  operator: ConditionOperator;
  value: string;
}

/** A rule as stored (snake_case: the rules table's columns), with its category's kind. */
export interface StoredRule {
  id: string;
  conditions: StoredCondition[];
  min_amount: string | null;
  max_amount: string | null;
  account_ids: string[];
  types: string[];
  set_category_id: string | null;
  /** The kind of the category set_category_id (null when there is none). */
  category_kind: string | null;
  add_tags: string[];
  set_description: string | null;
  stop_processing: boolean;
}

/** The parts of a transaction rules read and change (a TransactionSpec is one). */
export interface RuleSubject {
  type: string;
  amount: string;
  accountId: string;
  transferAccountId: string | null;
  categoryId: string | null;
  description: string | null;
  payee: string | null;
  tags: string[];
}

/** The longest pattern or text value a condition may hold. */
export const MAX_CONDITION_LENGTH = 200;
/** RE2 program size (instructions) beyond which a pattern is refused, e.g. `(x{1,100}){1,100}`. */
export const MAX_PROGRAM_SIZE = 5_000;
/** Tags a transaction may carry; a rule's added tags stop there (the transaction's own come first). */
export const MAX_TAGS = 20;

const compiled = new LRUCache<string, RE2JS>({ max: 2_000 });

/**
 * The RE2 pattern (case-insensitive), or the reason it is refused: RE2 has no backreferences
 * or lookaround, and a pattern's compiled program is bounded.
 */
export function compilePattern(pattern: string): { ok: true; regex: RE2JS } | { ok: false; reason: string } {
  const cached = compiled.get(pattern);
  if (cached) return { ok: true, regex: cached };
  if (pattern.length > MAX_CONDITION_LENGTH)
    return { ok: false, reason: `must be at most ${MAX_CONDITION_LENGTH} characters` };
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    if (error instanceof RE2JSException) return { ok: false, reason: error.message };
    throw error;
  }
  if (regex.programSize() > MAX_PROGRAM_SIZE) return { ok: false, reason: 'is too complex' };
  compiled.set(pattern, regex);
  return { ok: true, regex };
}

const fold = (text: string): string => text.toLowerCase();

function conditionMatches(condition: StoredCondition, subject: RuleSubject): boolean {
  const text = (condition.field === 'PAYEE' ? subject.payee : subject.description) ?? '';
  switch (condition.operator) {
    case 'CONTAINS':
      return fold(text).includes(fold(condition.value));
    case 'STARTS_WITH':
      return fold(text).startsWith(fold(condition.value));
    case 'EQUALS':
      return fold(text) === fold(condition.value);
    case 'REGEX': {
      const pattern = compilePattern(condition.value);
      // A stored pattern was compiled when saved; one refused since (a stricter bound) matches nothing.
      return pattern.ok && pattern.regex.test(text);
    }
  }
}

/** Whether every condition of `rule` holds for `subject` (a rule without conditions matches all). */
export function ruleMatches(rule: StoredRule, subject: RuleSubject): boolean {
  if (rule.types.length && !rule.types.includes(subject.type)) return false;
  if (
    rule.account_ids.length &&
    !rule.account_ids.includes(subject.accountId) &&
    !(subject.transferAccountId !== null && rule.account_ids.includes(subject.transferAccountId))
  )
    return false;
  const amount = toCents(subject.amount);
  if (rule.min_amount !== null && amount < toCents(rule.min_amount)) return false;
  if (rule.max_amount !== null && amount > toCents(rule.max_amount)) return false;
  return rule.conditions.every((condition) => conditionMatches(condition, subject));
}

/**
 * `subject` after `rules` (in their order): each rule sees the transaction as the earlier ones
 * left it. A matching rule sets its category only when there is none yet and the category's kind
 * is the transaction's type (so the first such rule wins, and a TRANSFER gets none), adds its
 * tags (up to MAX_TAGS), and renames; stopProcessing ends the run. `matched` says whether any
 * rule matched.
 */
export function applyRules<T extends RuleSubject>(
  rules: readonly StoredRule[],
  subject: T,
): { result: T; matched: boolean } {
  let result = subject;
  let matched = false;
  for (const rule of rules) {
    if (!ruleMatches(rule, result)) continue;
    matched = true;
    const setsCategory =
      result.categoryId === null && rule.set_category_id !== null && rule.category_kind === result.type;
    const tags = [...new Set([...result.tags, ...rule.add_tags])].slice(
      0,
      Math.max(MAX_TAGS, result.tags.length),
    );
    result = {
      ...result,
      categoryId: setsCategory ? rule.set_category_id : result.categoryId,
      tags,
      description: rule.set_description ?? result.description,
    };
    if (rule.stop_processing) break;
  }
  return { result, matched };
}
