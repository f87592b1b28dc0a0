import { IsOptional } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { IsIdList, IsTagList, SafeText } from '../../validation/decorators.js';
import { TransactionType } from './transaction.entity.js';

/** The optional details of a transaction, with the same rules on create and update. */
@InputType()
abstract class TransactionDetailsInput {
  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => ID, { nullable: true })
  transferAccountId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ max: 500 })
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Who was paid or who paid (an import fills it from the bank file).',
  })
  @IsOptional()
  @SafeText({ max: 500 })
  payee?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsTagList()
  tags?: string[] | null;
}

@InputType({
  description: `INCOME needs an INCOME category (or none), EXPENSE an EXPENSE category (or none),
TRANSFER a transferAccountId (another account of the same currency) and no category.
amount > 0.`,
})
export class CreateTransactionInput extends TransactionDetailsInput {
  @Field(() => ID)
  accountId: string;

  @Field(() => TransactionType)
  type: TransactionType;

  @Field(() => DecimalScalar)
  amount: string;

  @Field(() => DateScalar)
  date: string;
}

@InputType({
  description: `Fields left out keep their value. Changing type away from TRANSFER clears
transferAccount; changing it to TRANSFER needs transferAccountId and clears category.`,
})
export class UpdateTransactionInput extends TransactionDetailsInput {
  @Field(() => ID, { nullable: true })
  accountId?: string | null;

  @Field(() => TransactionType, { nullable: true })
  type?: TransactionType | null;

  @Field(() => DecimalScalar, { nullable: true })
  amount?: string | null;

  @Field(() => DateScalar, { nullable: true })
  date?: string | null;
}

@InputType()
export class TransactionFilter {
  @Field(() => DateScalar, { nullable: true, description: 'Inclusive.' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Inclusive.' })
  to?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Matches account or transferAccount.' })
  @IsOptional()
  @IsIdList()
  accountIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsIdList()
  categoryIds?: string[] | null;

  @Field(() => [TransactionType], { nullable: true })
  types?: TransactionType[] | null;

  @Field(() => DecimalScalar, { nullable: true })
  minAmount?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  maxAmount?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of description.' })
  @IsOptional()
  @SafeText({ max: 200 })
  search?: string | null;

  @Field(() => [String], { nullable: true, description: 'Transactions having all of these tags.' })
  @IsOptional()
  @IsTagList()
  tags?: string[] | null;
}
