import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { SafeText } from '../../validation/decorators.js';
import { ImportFormat } from './import.entity.js';

/** The longest header name or column number a mapping names. */
const MAX_COLUMN_NAME = 200;

@InputType({
  description: `Which CSV column holds what: a header name (with a header row) or a 1-based
column number ("3"). date is required, and either amount (signed: negative is money out)
or a debit/credit pair (debit is money out).`,
})
export class CsvMappingInput {
  @Field()
  @SafeText({ max: MAX_COLUMN_NAME, min: 1 })
  date: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ max: MAX_COLUMN_NAME })
  amount?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ max: MAX_COLUMN_NAME })
  debit?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ max: MAX_COLUMN_NAME })
  credit?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ max: MAX_COLUMN_NAME })
  description?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @SafeText({ max: MAX_COLUMN_NAME })
  payee?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The bank's own id of each row: the same row imported again is then skipped.",
  })
  @IsOptional()
  @SafeText({ max: MAX_COLUMN_NAME })
  bankId?: string | null;
}

/** How to read a file and where its rows go: the same for the mutations and POST /import. */
@InputType()
export class ImportOptionsInput {
  @Field(() => ID, { description: 'Your account the rows go to (not archived).' })
  accountId: string;

  @Field(() => ImportFormat)
  format: ImportFormat;

  @Field(() => String, { nullable: true, description: "The file's name, kept in the imports history." })
  @IsOptional()
  @SafeText({ max: 255 })
  fileName?: string | null;

  @Field(() => CsvMappingInput, { nullable: true, description: 'CSV only (required there).' })
  @IsOptional()
  @ValidateNested()
  mapping?: CsvMappingInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'CSV only: the first row names the columns (default true).',
  })
  hasHeader?: boolean | null;

  @Field(() => String, { nullable: true, description: "CSV only: one character (default ',')." })
  @IsOptional()
  @SafeText({ max: 1 })
  delimiter?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'CSV and QIF: e.g. YYYY-MM-DD (the CSV default), DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY, YYYYMMDD, M/D/YY.',
  })
  @IsOptional()
  @SafeText({ max: 20 })
  dateFormat?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "CSV and QIF: '.' (default) or ','; the other may then group thousands.",
  })
  @IsOptional()
  @SafeText({ max: 1 })
  decimalSeparator?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Money out is positive in this file (some card exports): every sign is flipped.',
  })
  invertSigns?: boolean | null;
}

/** Lines a user may name at once (keepLines). */
export const MAX_KEPT_LINES = 10_000;

@InputType()
export class ImportFileInput extends ImportOptionsInput {
  @Field({
    description:
      'The whole file as text (at most IMPORT_MAX_BYTES, 5 MB by default; larger files: POST /import).',
  })
  content: string;

  @Field(() => [Int], {
    nullable: true,
    description: `Lines (as previewImport numbered them) to import although they look like a transaction
already in the account (SIMILAR). Rows with a bank id already there are always skipped.`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_KEPT_LINES)
  keepLines?: number[] | null;
}
