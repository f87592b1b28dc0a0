import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../money/scalars.js';
import { Transaction, TransactionType } from '../transactions/transaction.entity.js';
import type { TransactionRow } from '../transactions/transaction-row.js';

export enum DuplicateReason {
  BANK_ID = 'BANK_ID',
  SIMILAR = 'SIMILAR',
}
registerEnumType(DuplicateReason, {
  name: 'DuplicateReason',
  description: 'Why an imported row is taken for one already in the account.',
  valuesConfig: {
    BANK_ID: {
      description:
        "The account already has a row with the bank's id (or the file repeats it): always skipped.",
    },
    SIMILAR: {
      description:
        'A transaction of the account with the same type and amount, dated within 3 days, with a similar description or payee: skipped unless its line is in keepLines.',
    },
  },
});

@ObjectType({
  description: 'A row of a bank file as it would be (or was) created, after your rules.',
  simpleResolvers: true,
})
export class ImportRow {
  @Field(() => Int, { description: 'Where the row starts in the file (1-based).' })
  line: number;

  @Field(() => DateScalar)
  date: string;

  @Field(() => TransactionType, { description: 'INCOME for money in, EXPENSE for money out.' })
  type: TransactionType;

  @Field(() => DecimalScalar)
  amount: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true })
  payee: string | null;

  @Field(() => String, { nullable: true })
  bankId: string | null;

  @Field(() => [String], { description: 'Tags your rules add.' })
  tags: string[];

  /** Resolved by ImportRowResolver (the category your rules set). */
  categoryId: string | null;
}

@ObjectType({ simpleResolvers: true })
export class ImportDuplicate {
  @Field(() => ImportRow)
  row: ImportRow;

  @Field(() => DuplicateReason)
  reason: DuplicateReason;

  @Field(() => Transaction, {
    nullable: true,
    description:
      'The transaction it duplicates; null when the row repeats a bank id of an earlier line of the same file.',
  })
  existing: TransactionRow | null;
}

@ObjectType({ description: 'A row that cannot be imported, and why.', simpleResolvers: true })
export class ImportRefusal {
  @Field(() => Int)
  line: number;

  @Field(() => String, {
    nullable: true,
    description: 'The column (CSV) or field (OFX tag, QIF code) at fault.',
  })
  column: string | null;

  @Field()
  reason: string;
}

@ObjectType({
  description: `What commitImport of the same file and options would do now: nothing is written.
Counts are exact; rows lists the first new ones (sample), duplicates and refused at most 1,000.`,
  simpleResolvers: true,
})
export class ImportPreview {
  @Field(() => ID, { description: 'The account the rows would go to.' })
  accountId: string;

  @Field(() => Int, { description: 'Rows read (refused ones included).' })
  rowCount: number;

  @Field(() => Int, { description: 'Transactions a commit would create.' })
  newCount: number;

  @Field(() => Int)
  duplicateCount: number;

  @Field(() => Int)
  refusedCount: number;

  @Field(() => [ImportRow])
  rows: ImportRow[];

  @Field(() => [ImportDuplicate])
  duplicates: ImportDuplicate[];

  @Field(() => [ImportRefusal])
  refused: ImportRefusal[];
}
