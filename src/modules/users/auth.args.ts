import { ArgsType, Field } from 'type-graphql';
import { IsPassword, SafeText } from '../../validation/decorators.js';

@ArgsType()
export class RefreshTokenArgs {
  @Field()
  @SafeText({ max: 512 })
  refreshToken: string;
}

@ArgsType()
export class ChangePasswordArgs {
  @Field()
  @SafeText({ max: 1024 })
  currentPassword: string;

  @Field()
  @IsPassword()
  newPassword: string;
}
