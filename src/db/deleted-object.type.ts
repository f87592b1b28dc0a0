import { Field, ID, ObjectType } from 'type-graphql';

/**
 * An object a remove* mutation deleted: with `__typename: typename` and `id` it is the cache
 * key a normalized client cache evicts, e.g. Apollo Client's
 * `cache.evict({ id: cache.identify({ __typename: typename, id }) })`.
 */
@ObjectType({
  simpleResolvers: true,
  description:
    'An object a remove* mutation deleted: evict { __typename: typename, id } from a client cache.',
})
export class DeletedObject {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The GraphQL type of the deleted object, e.g. "Transaction".' })
  typename: string;
}
