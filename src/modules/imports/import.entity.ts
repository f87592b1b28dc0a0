import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Account } from '../accounts/account.entity.js';
import { User } from '../users/user.entity.js';

export enum ImportFormat {
  CSV = 'CSV',
  OFX = 'OFX',
  QIF = 'QIF',
}
registerEnumType(ImportFormat, {
  name: 'ImportFormat',
  description: 'CSV (any layout, with a column mapping), OFX/QFX (1.x SGML and 2.x XML) or QIF.',
});

/**
 * One committed import of a bank file into one account: what it created, what it skipped as
 * already there and what it refused. Its transactions carry its id (Transaction.importId), so
 * undoImport deletes exactly them.
 */
@ObjectType({ description: 'A bank file imported into one of your accounts (see imports, undoImport).' })
@Entity({ tableName: 'imports' })
@Index({ properties: ['user', 'createdAt', 'id'] })
export class ImportRecord extends BaseEntity<'fileName' | 'undoneAt'> {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  @ManyToOne(() => Account, { deleteRule: 'cascade' })
  account: Rel<Account>;

  @Field(() => String, { nullable: true, description: 'The name the file was given, if any.' })
  @Property({ type: 'text', nullable: true })
  fileName: string | null = null;

  @Field(() => ImportFormat)
  @Enum({ items: () => ImportFormat, columnType: 'text' })
  format: ImportFormat;

  /** SHA-256 of the file's bytes and the options: an importId reused for another file is refused. */
  @Property({ type: 'text' })
  fileHash: string;

  @Field(() => Int, { description: 'Transactions this import created.' })
  @Property({ type: 'integer' })
  createdCount: number;

  @Field(() => Int, { description: 'Rows skipped as already in the ledger (same bank id, or similar).' })
  @Property({ type: 'integer' })
  duplicateCount: number;

  @Field(() => Int, { description: 'Rows refused (see previewImport for the reasons).' })
  @Property({ type: 'integer' })
  refusedCount: number;

  @Field(() => Date, { nullable: true, description: 'When undoImport deleted what it created.' })
  @Property({ type: 'timestamptz', nullable: true })
  undoneAt: Date | null = null;
}
