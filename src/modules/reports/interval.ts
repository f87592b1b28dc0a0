import { registerEnumType } from 'type-graphql';

export enum Interval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(Interval, { name: 'Interval' });
