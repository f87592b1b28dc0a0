import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * Query depth, alias, directive, token and cost limits, shared by HTTP and graphql-ws so a
 * subscription cannot do what a POST may not. Field suggestions are hidden in production, where
 * they would let a stranger map a schema whose introspection is off.
 */
export const MAX_TOKENS = 2000;

export function createArmor(production: boolean) {
  return new ApolloArmor({
    maxDepth: { n: 10 },
    maxAliases: { n: 15 },
    maxDirectives: { n: 20 },
    // Counted by graphql-js's own parser instead (MAX_TOKENS): armor's token plugin turns a plain
    // syntax error into an HTTP 500.
    maxTokens: { enabled: false },
    // A full page (first: 500) of transactions with their relations costs about 22,000.
    costLimit: { maxCost: 50_000 },
    blockFieldSuggestion: { enabled: production },
  }).protect();
}
