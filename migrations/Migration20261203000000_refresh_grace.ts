import { Migration } from '@mikro-orm/migrations';

/**
 * A rotated refresh token keeps its successor, sealed with a key only the rotated token's raw
 * value gives, so a client that presents it again within the reuse grace gets the same successor.
 */
export class Migration20261203000000_refresh_grace extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "refresh_tokens" add column "rotated_at" timestamptz null, add column "successor_sealed" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refresh_tokens" drop column "rotated_at", drop column "successor_sealed";`);
  }
}
