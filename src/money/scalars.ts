import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { ScalarInputError } from '../errors/scalar-input-error.js';
import { DateTimeResolver } from 'graphql-scalars';
import { DECIMAL_INPUT, formatMoney } from './money.js';
import { isCalendarDate, isMonth, toDateString } from '../calendar/dates.js';

/** A scalar read only from a JSON string that passes `valid`; any other input is BAD_USER_INPUT. */
function strictStringScalar(options: {
  name: string;
  description: string;
  valid: (value: string) => boolean;
  expected: string;
  parse?: (value: string) => string;
  serialize: (value: unknown) => string;
}): GraphQLScalarType {
  const parse = (value: unknown, literal?: ValueNode): string => {
    if (typeof value !== 'string' || !options.valid(value)) {
      throw new ScalarInputError(`${options.name} must be ${options.expected}`, literal);
    }
    return options.parse ? options.parse(value) : value;
  };
  return new GraphQLScalarType({
    name: options.name,
    description: options.description,
    serialize: options.serialize,
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => parse(ast.kind === Kind.STRING ? ast.value : undefined, ast),
  });
}

export const DecimalScalar = strictStringScalar({
  name: 'Decimal',
  description: 'Money as a string with up to 2 fraction digits: "1250.00", "-3.5" in; always 2 digits out.',
  valid: (value) => DECIMAL_INPUT.test(value),
  expected: 'a string with up to 15 digits and up to 2 decimals, such as "12.50"',
  parse: formatMoney,
  serialize: (value) => formatMoney(String(value)),
});

export const DateScalar = strictStringScalar({
  name: 'Date',
  description: 'A calendar date, "YYYY-MM-DD", from 1900-01-01 to 9999-12-31.',
  valid: isCalendarDate,
  expected: 'a calendar date "YYYY-MM-DD" from 1900-01-01 to 9999-12-31',
  serialize: (value) => toDateString(value as Date | string),
});

export const MonthScalar = strictStringScalar({
  name: 'Month',
  description: 'A calendar month, "YYYY-MM", from 1900-01 to 9999-12.',
  valid: isMonth,
  expected: 'a month "YYYY-MM" from 1900-01 to 9999-12',
  serialize: (value) => String(value),
});

/** ISO-8601 date-time with zone; JS Dates are sent this way. */
export const DateTimeScalar = DateTimeResolver;
