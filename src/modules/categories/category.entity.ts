import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from '../users/user.entity.js';

export enum CategoryKind {
  INCOME = 'INCOME',
  EXPENSE = 'EXPENSE',
}
registerEnumType(CategoryKind, { name: 'CategoryKind' });

/** Names are unique per user, kind and parent, case-insensitively (an index in the migration). */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'categories' })
@Unique({
  name: 'categories_name_unique',
  expression: `create unique index "categories_name_unique" on "categories" ("user_id", "kind", coalesce("parent_id", '00000000-0000-0000-0000-000000000000'), lower("name"))`,
})
export class Category extends BaseEntity<'color' | 'parent'> {
  @ManyToOne(() => User, { deleteRule: 'cascade', index: true })
  user: Rel<User>;

  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => CategoryKind)
  @Enum({ items: () => CategoryKind, nativeEnumName: 'category_kind' })
  kind: CategoryKind;

  /** Same kind as this category; never this category or one of its descendants. */
  @ManyToOne(() => Category, { nullable: true, deleteRule: 'set null', index: true })
  parent: Rel<Category> | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  color: string | null = null;
}
