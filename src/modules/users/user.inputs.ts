import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import {
  IsCurrency,
  IsEmailAddress,
  IsPassword,
  SafeText,
  VisibleIfPresent,
} from '../../validation/decorators.js';

/** What a user may say about themselves, on registration and later. */
@InputType()
abstract class ProfileFieldsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ max: 100 })
  @VisibleIfPresent()
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsCurrency()
  currency?: string | null;
}

@InputType()
export class RegisterInput extends ProfileFieldsInput {
  @Field()
  @IsEmailAddress()
  @SafeText({ max: 320 })
  email: string;

  @Field({ description: '8 to 72 bytes in UTF-8.' })
  @IsPassword()
  password: string;
}

@InputType()
export class LoginInput {
  @Field()
  @SafeText({ max: 320 })
  email: string;

  /** Not checked for strength here: a wrong password simply fails to log in. */
  @Field()
  @SafeText({ max: 1024 })
  password: string;
}

/** Fields left out keep their value; name: null clears the name. */
@InputType()
export class UpdateProfileInput extends ProfileFieldsInput {}
