import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalId } from '../../db/ids.js';
import { findOwned } from '../../db/find-owned.js';
import { badInput } from '../../errors/app-error.js';
import { assertBelowLimit } from '../../limits/user-limits.js';
import { formatMoney, toCents } from '../../money/money.js';
import { visibleCharacters } from '../../validation/text.js';
import { CategoryService } from '../categories/category.service.js';
import { assertOwned } from '../transactions/ownership.js';
import type { TransactionType } from '../transactions/transaction.entity.js';
import { compilePattern, MAX_CONDITION_LENGTH } from '../rule-matching/rule-engine.js';
import { Rule, RuleConditionField, RuleOperator, type RuleCondition } from './rule.entity.js';
import { MAX_POSITION, type CreateRuleInput, type UpdateRuleInput } from './rule.inputs.js';

/** A rule's stored fields, checked and normalized, before anything is written. */
type RuleFields = Pick<
  Rule,
  | 'name'
  | 'position'
  | 'enabled'
  | 'stopProcessing'
  | 'conditions'
  | 'minAmount'
  | 'maxAmount'
  | 'accountIds'
  | 'types'
  | 'addTags'
  | 'setDescription'
> & { setCategoryId: string | null };

/**
 * The caller's rules: every id given (a rule, an account, a category) must be the caller's, and
 * another user's is NOT_FOUND like one that does not exist. Everything is checked before
 * anything is written, so a refused create or update leaves nothing behind.
 */
export class RuleService {
  constructor(
    private readonly em: EntityManager,
    private readonly userId: string,
  ) {}

  list(): Promise<Rule[]> {
    return this.em.find(
      Rule,
      { user: this.userId },
      { orderBy: { position: 'asc', createdAt: 'asc', id: 'asc' } },
    );
  }

  get(id: string): Promise<Rule> {
    return findOwned(this.em, Rule, id, this.userId, 'Rule');
  }

  /** Refused past `maxRules` rules (MAX_RULES). */
  async create(input: CreateRuleInput, maxRules: number): Promise<Rule> {
    const fields = await this.checked({
      name: input.name,
      position: input.position ?? null,
      enabled: input.enabled ?? true,
      stopProcessing: input.stopProcessing ?? false,
      conditions: input.conditions ?? [],
      minAmount: input.minAmount ?? null,
      maxAmount: input.maxAmount ?? null,
      accountIds: input.accountIds ?? [],
      types: input.types ?? [],
      setCategoryId: input.setCategoryId ?? null,
      addTags: input.addTags ?? [],
      setDescription: input.setDescription ?? null,
    });
    return this.em.transactional(async (em) => {
      await assertBelowLimit(em, this.userId, 'rules', maxRules);
      let position = fields.position;
      if (position === null) {
        const [last] = await em.execute<{ position: number | null }[]>(
          'select max(position) as position from rules where user_id = ?',
          [this.userId],
        );
        position = last?.position == null ? 0 : Math.min(MAX_POSITION, Number(last.position) + 1);
      }
      const { setCategoryId, ...rest } = fields;
      return em.create(Rule, { ...rest, position, user: this.userId, setCategory: setCategoryId });
    });
  }

  async update(id: string, input: UpdateRuleInput): Promise<Rule> {
    const rule = await this.get(id);
    const fields = await this.checked({
      name: input.name ?? rule.name,
      position: input.position ?? rule.position,
      enabled: input.enabled ?? rule.enabled,
      stopProcessing: input.stopProcessing ?? rule.stopProcessing,
      conditions: input.conditions ?? rule.conditions,
      minAmount: input.minAmount !== undefined ? input.minAmount : rule.minAmount,
      maxAmount: input.maxAmount !== undefined ? input.maxAmount : rule.maxAmount,
      accountIds: input.accountIds ?? rule.accountIds,
      types: input.types ?? rule.types,
      setCategoryId: input.setCategoryId !== undefined ? input.setCategoryId : (rule.setCategory?.id ?? null),
      addTags: input.addTags ?? rule.addTags,
      setDescription: input.setDescription !== undefined ? input.setDescription : rule.setDescription,
    });
    const { setCategoryId, position, ...rest } = fields;
    this.em.assign(rule, { ...rest, position: position ?? rule.position, setCategory: setCategoryId });
    await this.em.flush();
    return rule;
  }

  async delete(id: string): Promise<boolean> {
    const rule = await this.get(id);
    await this.em.removeAndFlush(rule);
    return true;
  }

  /** `given` normalized, or the first problem as BAD_USER_INPUT (NOT_FOUND for an id). */
  private async checked(
    given: Omit<RuleFields, 'position' | 'conditions'> & {
      position: number | null;
      conditions: GivenCondition[];
    },
  ): Promise<Omit<RuleFields, 'position'> & { position: number | null }> {
    const conditions = given.conditions.map((condition, index) => checkCondition(condition, index));
    const minAmount = given.minAmount == null ? null : formatMoney(given.minAmount);
    const maxAmount = given.maxAmount == null ? null : formatMoney(given.maxAmount);
    if (minAmount !== null && toCents(minAmount) < 0n)
      throw badInput('minAmount', 'minAmount must not be negative');
    if (maxAmount !== null && toCents(maxAmount) < 0n)
      throw badInput('maxAmount', 'maxAmount must not be negative');
    if (minAmount !== null && maxAmount !== null && toCents(maxAmount) < toCents(minAmount))
      throw badInput('maxAmount', 'maxAmount must not be less than minAmount');
    const accountIds = [...new Set(given.accountIds.map(canonicalId))];
    await assertOwned(this.em, this.userId, { accountIds });
    const types = [...new Set(given.types)] as TransactionType[];
    let setCategoryId: string | null = null;
    if (given.setCategoryId != null) {
      const category = await new CategoryService(this.em, this.userId).get(given.setCategoryId);
      if (types.length && !types.includes(category.kind as string as TransactionType)) {
        throw badInput(
          'setCategoryId',
          `The rule's types never include ${category.kind}: an ${category.kind} category would never be set`,
        );
      }
      setCategoryId = category.id;
    }
    const addTags = [...new Set(given.addTags.map((tag) => tag.trim()).filter(Boolean))];
    const setDescription = given.setDescription?.trim() || null;
    if (setCategoryId === null && addTags.length === 0 && setDescription === null) {
      throw badInput(
        'setCategoryId',
        'A rule needs at least one action: setCategoryId, addTags or setDescription',
      );
    }
    const name = given.name.trim();
    if (!visibleCharacters(name)) throw badInput('name', 'name must have at least 1 visible character');
    return {
      ...given,
      name,
      conditions,
      minAmount,
      maxAmount,
      accountIds,
      types,
      setCategoryId,
      addTags,
      setDescription,
    };
  }
}

/** A condition as sent (stored ones are also given back to an update as they are). */
type GivenCondition = Omit<RuleCondition, 'field'> & { field?: RuleConditionField | null };

/**
 * A condition as stored: a value of 1..MAX_CONDITION_LENGTH characters without NUL, a REGEX
 * pattern RE2 accepts (as given), any other value trimmed.
 */
function checkCondition(condition: GivenCondition, index: number): RuleCondition {
  const at = `conditions[${index}].value`;
  if (condition.value.length > MAX_CONDITION_LENGTH)
    throw badInput('conditions', `${at} must be at most ${MAX_CONDITION_LENGTH} characters`);
  if (condition.value.includes('\u0000'))
    throw badInput('conditions', `${at} must not contain NUL characters`);
  if (condition.operator === RuleOperator.REGEX) {
    const compiled = compilePattern(condition.value);
    if (!compiled.ok) throw badInput('conditions', `${at}: the RE2 pattern is refused: ${compiled.reason}`);
    return {
      field: condition.field ?? RuleConditionField.DESCRIPTION,
      operator: condition.operator,
      value: condition.value,
    };
  }
  const value = condition.value.trim();
  if (!value) throw badInput('conditions', `${at} must not be blank`);
  return { field: condition.field ?? RuleConditionField.DESCRIPTION, operator: condition.operator, value };
}
