import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CurrentUser } from '../../auth/auth-checker.js';
import type { AuthUser, Context } from '../../context.js';
import { badInput } from '../../errors/app-error.js';
import { Account } from '../accounts/account.entity.js';
import { accountLoader } from '../accounts/account.loader.js';
import type { AccountRow } from '../accounts/account-row.js';
import { Category } from '../categories/category.entity.js';
import { categoryLoader } from '../categories/category.loader.js';
import type { CategoryRow } from '../categories/category-row.js';
import { publishTransactionChange } from '../transactions/transaction-changes.js';
import { ImportRecord } from './import.entity.js';
import { ImportFileInput } from './import.inputs.js';
import { ImportPreview, ImportRow } from './import-preview.type.js';
import { importRequestOf, importServiceFor, inImportSlot, previewOf, stringSource } from './import-api.js';

/** What one preview or commit costs, whatever it selects: it may read and write 250,000 rows. */
export const IMPORT_COST = 5_000;
/** Rows a preview lists by default, and at most. */
const DEFAULT_SAMPLE = 50;
const MAX_SAMPLE = 1_000;

@Authorized()
@Resolver(() => ImportRecord)
export class ImportResolver {
  @Query(() => [ImportRecord], {
    description: 'Your imports, the latest first.',
    complexity: ({ args, childComplexity }) => (Number(args.first) || 20) * (1 + childComplexity),
  })
  imports(
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'At most 100.' })
    first: number | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<ImportRecord[]> {
    const count = first ?? 20;
    if (count < 1 || count > 100) throw badInput('first', 'first must be between 1 and 100');
    return importServiceFor(ctx, user).list(count);
  }

  @Query(() => ImportRecord, { name: 'import' })
  importRecord(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<ImportRecord> {
    return importServiceFor(ctx, user).get(id);
  }

  @FieldResolver(() => Account, { description: 'The account the rows went to.' })
  async account(@Root() record: ImportRecord, @Ctx() ctx: Context): Promise<AccountRow> {
    return accountLoader(ctx).load(record.account.id);
  }

  @Mutation(() => ImportPreview, {
    description: `Reads a bank file (content: the file as text) and answers what commitImport would create, skip
as duplicates and refuse, with the reason and line; writes nothing. Larger files: POST /import?preview=true.`,
    complexity: ({ childComplexity }) => IMPORT_COST + childComplexity,
  })
  async previewImport(
    @Arg('input') input: ImportFileInput,
    @Arg('sample', () => Int, {
      nullable: true,
      defaultValue: DEFAULT_SAMPLE,
      description: `How many of the new rows to list (at most ${MAX_SAMPLE}).`,
    })
    sample: number | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<ImportPreview> {
    const size = sample ?? DEFAULT_SAMPLE;
    if (size < 0 || size > MAX_SAMPLE) throw badInput('sample', `sample must be between 0 and ${MAX_SAMPLE}`);
    const source = stringSource(input.content, ctx.app.config.importMaxBytes);
    return inImportSlot(ctx.app, user.id, async () => {
      const request = importRequestOf(input);
      const outcome = await importServiceFor(ctx, user).preview(request, source, size);
      return previewOf(ctx, user.id, request.accountId, outcome);
    });
  }

  @Mutation(() => ImportRecord, {
    description: `Creates the new rows of a bank file in the account, in one database transaction: all or
nothing. Rows with a bank id already in the account, and rows similar to an existing
transaction (unless in keepLines), are skipped. Refused rows stop the commit (nothing written)
unless skipRefused. With importId (a UUID you choose), sending the same again answers the
same import and creates nothing. Larger files: POST /import.`,
    complexity: ({ childComplexity }) => IMPORT_COST + childComplexity,
  })
  async commitImport(
    @Arg('input') input: ImportFileInput,
    @Arg('importId', () => ID, { nullable: true }) importId: string | null,
    @Arg('skipRefused', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Import the other rows when some are refused.',
    })
    skipRefused: boolean | null,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<ImportRecord> {
    const source = stringSource(input.content, ctx.app.config.importMaxBytes);
    return inImportSlot(ctx.app, user.id, async () => {
      const { record, outcome } = await importServiceFor(ctx, user).commit(importRequestOf(input), source, {
        importId: importId ?? null,
        skipRefused: skipRefused ?? false,
      });
      if (outcome && outcome.created > 0) {
        publishTransactionChange(ctx.app.pubSub, ctx.log, user.id, 'IMPORTED', record.id, [record.account]);
      }
      return record;
    });
  }

  @Mutation(() => ImportRecord, {
    description: `Deletes every transaction the import created (also ones edited since); balances follow. Undoing
an undone import changes nothing.`,
  })
  async undoImport(
    @Arg('id', () => ID) id: string,
    @CurrentUser() user: AuthUser,
    @Ctx() ctx: Context,
  ): Promise<ImportRecord> {
    const { record, accountIds } = await importServiceFor(ctx, user).undo(id);
    if (accountIds.length > 0) {
      publishTransactionChange(
        ctx.app.pubSub,
        ctx.log,
        user.id,
        'IMPORT_UNDONE',
        record.id,
        accountIds.map((accountId) => ({ id: accountId })),
      );
    }
    return record;
  }
}

@Resolver(() => ImportRow)
export class ImportRowResolver {
  @FieldResolver(() => Category, { nullable: true, description: 'The category your rules set, if any.' })
  category(@Root() row: ImportRow, @Ctx() ctx: Context): Promise<CategoryRow | null> {
    return categoryLoader(ctx).loadOptional(row.categoryId ?? undefined);
  }
}
