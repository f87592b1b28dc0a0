import DataLoader from 'dataloader';

/** Batches lookups by id within one operation: a page of rows costs one query per relation. */
export class EntityLoader<T extends { id: string }> {
  private readonly loader: DataLoader<string, T | null>;

  constructor(fetch: (ids: readonly string[]) => Promise<T[]>) {
    this.loader = new DataLoader(async (ids) => {
      const byId = new Map((await fetch(ids)).map((entity) => [entity.id, entity]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  async load(id: string): Promise<T> {
    const entity = await this.loader.load(id);
    // Ids reach a loader only from rows the caller owns, so a miss is a broken invariant.
    if (!entity) throw new Error(`Missing ${id}`);
    return entity;
  }

  async loadOptional(id: string | null | undefined): Promise<T | null> {
    return id ? this.loader.load(id) : null;
  }
}
