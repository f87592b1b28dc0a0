import { IsOptional, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { SafeText } from '../../validation/decorators.js';
import { CategoryKind } from './category.entity.js';

const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const COLOR_MESSAGE = 'color must be a hex colour such as #4caf50';

/** Where the category sits and how it is shown: the same rules on create and update. */
@InputType()
abstract class CategoryPlacementInput {
  @Field(() => ID, { nullable: true })
  parentId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(COLOR, { message: COLOR_MESSAGE })
  color?: string | null;
}

@InputType()
export class CreateCategoryInput extends CategoryPlacementInput {
  @Field()
  @SafeText({ min: 1, max: 100 })
  name: string;

  @Field(() => CategoryKind)
  kind: CategoryKind;
}

/** Fields left out keep their value; parentId: null makes it top-level, color: null clears it. */
@InputType()
export class UpdateCategoryInput extends CategoryPlacementInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ min: 1, max: 100 })
  name?: string | null;
}
