import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { DecimalScalar } from '../../money/scalars.js';
import { IsCurrency, SafeText } from '../../validation/decorators.js';
import { AccountType } from './account.entity.js';

@InputType()
export class CreateAccountInput {
  @Field()
  @SafeText({ min: 1, max: 100 })
  name: string;

  @Field(() => AccountType)
  type: AccountType;

  @Field(() => String, { nullable: true, description: "Default: the user's currency." })
  @IsOptional()
  @IsCurrency()
  currency?: string | null;

  /** May be negative (cards, loans). */
  @Field(() => DecimalScalar, { nullable: true, defaultValue: '0' })
  openingBalance?: string | null;
}

@InputType()
export class UpdateAccountInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ min: 1, max: 100 })
  name?: string | null;

  @Field(() => AccountType, { nullable: true })
  type?: AccountType | null;

  @Field(() => Boolean, { nullable: true })
  archived?: boolean | null;
}
