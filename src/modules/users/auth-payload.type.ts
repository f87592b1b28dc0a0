import { Field, Int, ObjectType } from 'type-graphql';
import { User } from './user.entity.js';

@ObjectType()
export class AuthPayload {
  @Field()
  accessToken: string;

  @Field()
  refreshToken: string;

  @Field(() => Int, { description: 'Seconds until accessToken expires.' })
  expiresIn: number;

  @Field(() => User)
  user: User;
}
