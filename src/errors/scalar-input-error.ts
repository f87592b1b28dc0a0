import { GraphQLError, type ValueNode } from 'graphql';
import { ErrorCode } from './app-error.js';

/** A value one of our scalars refused: bad input, wherever graphql-js reports it. */
export class ScalarInputError extends GraphQLError {
  constructor(message: string, literal?: ValueNode) {
    const field = literal ? literalField(literal) : undefined;
    super(message, {
      nodes: literal,
      extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) },
    });
  }
}

/**
 * The input field or argument an inline literal was written for, read from the query text just
 * before it (`amount: 12.5`); graphql-js does not tell a scalar where its literal sits.
 */
function literalField(literal: ValueNode): string | undefined {
  const before = literal.loc ? literal.loc.source.body.slice(0, literal.loc.start) : '';
  return /([_A-Za-z][_0-9A-Za-z]*)\s*:\s*$/.exec(before)?.[1];
}
