import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * Query depth, alias, directive, token and cost limits, shared by HTTP and graphql-ws so a
 * subscription cannot do what a POST may not. Field suggestions are hidden in production, where
 * they would let a stranger map a schema whose introspection is off.
 */
export function createArmor(production: boolean) {
  return new ApolloArmor({
    maxDepth: { n: 10 },
    maxAliases: { n: 15 },
    maxDirectives: { n: 20 },
    maxTokens: { n: 2000 },
    costLimit: { maxCost: 5000 },
    blockFieldSuggestion: { enabled: production },
  }).protect();
}
