import { randomUUID } from 'node:crypto';
import type { TestServer } from '../server.js';
import { LOGIN, registerUser, type RegisteredUser } from '../users.js';
import type { Reply } from './checks.js';
import type { AuthMode, FuzzRequest } from './operation.js';
import { inventory, seedUser, type Inventory } from './seed.js';
import { post, randomIp } from './transport.js';
import { ID_KINDS, type IdKind, type Pools } from './values.js';

/** Below these, A's data is topped up before the next operation (deletes consume it). */
const MINIMUM: Partial<Record<IdKind, number>> = {
  budget: 4,
  transaction: 5,
  alert: 1,
  category: 3,
  rule: 1,
  recurring: 1,
};
/** Above this many budgets, the newest go: every expense write evaluates every budget. */
const MAX_BUDGETS = 25;

const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** What a failure report shows of a row the request names. */
const ROW_FIELDS: Partial<Record<IdKind, string>> = {
  account: 'name type currency archived balance',
  category: 'name kind parent { id }',
  transaction: 'type amount date account { id } transferAccount { id } category { id }',
  budget: 'period startDate rollover amount category { id }',
};

/** The fuzzing means little without these: every id kind, and an alert that fired. */
function assertSeeded(user: string, { ids }: Inventory): void {
  const missing = ID_KINDS.filter((kind) => ids[kind].length === 0);
  if (missing.length) throw new Error(`set-up: user ${user} has no ${missing.join(', ')}`);
}

/**
 * Users A (the caller of every fuzzed request) and B (whose ids must never leak to A), their
 * data, and A's session, which the fuzzed requests may disturb (changePassword, logout).
 */
export class FuzzWorld {
  a!: RegisteredUser;
  b!: RegisteredUser;
  /** Every id B owns, lower-cased. */
  readonly foreignIds = new Set<string>();
  /** What happened to A's session, for the summary. */
  readonly notes: string[] = [];
  private aInventory!: Inventory;
  private bInventory!: Inventory;
  private seeds = 0;
  /** Refresh tokens of extra sign-ins of A's, for the fuzzed refreshToken and logout. */
  private spareRefreshTokens: string[] = [];
  /** The address fuzzed requests come from; logging A back in uses fresh ones, never rate-limited. */
  readonly ip = randomIp();

  constructor(private readonly server: TestServer) {}

  async setUp(): Promise<void> {
    this.a = await registerUser(this.server.client(), { name: 'Fuzz A' });
    // B's password is never generated: a fuzzed login can never return B's id to A.
    this.b = await registerUser(this.server.client(), { name: 'Fuzz B', password: `B-${randomUUID()}` });
    const b = this.server.client(this.b.accessToken);
    await seedUser(b, 'B');
    this.bInventory = await inventory(b);
    assertSeeded('B', this.bInventory);
    for (const kind of ID_KINDS)
      for (const id of this.bInventory.ids[kind]) this.foreignIds.add(id.toLowerCase());
    await this.seedA();
    assertSeeded('A', this.aInventory);
  }

  private async seedA(): Promise<void> {
    await seedUser(this.server.client(this.a.accessToken), `A${++this.seeds}`);
    this.aInventory = await inventory(this.server.client(this.a.accessToken));
  }

  /**
   * Re-reads A's ids before an operation, tops A's data up when deletes consumed it and trims
   * the budgets that createBudget piled up.
   */
  async refresh(options: { refreshTokens?: number } = {}): Promise<void> {
    await this.ensureSession();
    this.spareRefreshTokens = [];
    for (let i = 0; i < (options.refreshTokens ?? 0); i++) {
      this.spareRefreshTokens.push((await this.logIn()).refreshToken);
    }
    const client = this.server.client(this.a.accessToken);
    this.aInventory = await inventory(client);
    const { ids } = this.aInventory;
    const low = Object.entries(MINIMUM).some(([kind, min]) => ids[kind as IdKind].length < min);
    if (low || this.aInventory.activeAccounts < 2) await this.seedA();
    for (const id of this.aInventory.ids.budget.slice(MAX_BUDGETS)) {
      await client.data('mutation ($id: ID!) { deleteBudget(id: $id) }', { id });
    }
    if (this.aInventory.ids.budget.length > MAX_BUDGETS) this.aInventory = await inventory(client);
  }

  pools(): Pools {
    return {
      a: this.aInventory.ids,
      b: this.bInventory.ids,
      aEmail: this.a.email,
      bEmail: this.b.email,
      aPassword: this.a.password,
      aRefreshTokens: [this.a.refreshToken, ...this.spareRefreshTokens],
      cursors: this.aInventory.cursors,
    };
  }

  /** The Authorization token for a request: A's, none, garbage, or A's token claiming to be B. */
  tokenFor(auth: AuthMode): string | undefined {
    if (auth === 'A') return this.a.accessToken;
    if (auth === 'garbage') return 'not-a-token';
    if (auth === 'none') return undefined;
    const [header, , signature] = this.a.accessToken.split('.');
    const payload = JSON.parse(Buffer.from(this.a.accessToken.split('.')[1]!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, sub: this.b.id })).toString('base64url');
    return `${header}.${forged}.${signature}`;
  }

  /**
   * Follows what a request of A's did to A's session: a successful changePassword changes the
   * password to log in with. Returns a problem when A's valid token was refused.
   */
  async afterRequest(request: FuzzRequest, reply: Reply): Promise<string | undefined> {
    const { field } = request;
    if (field.name === 'changePassword' && reply.body?.data?.changePassword === true) {
      const newPassword = field.args.find((arg) => arg.name === 'newPassword');
      this.a.password = String(newPassword?.value);
      this.notes.push('changePassword succeeded; A now logs in with the new password');
    }
    const public_ = ['login', 'refreshToken', 'register'].includes(field.name);
    const refused = reply.body?.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED');
    if (!refused || public_) return undefined;
    const tokenWasValid = await this.ensureSession();
    return tokenWasValid ? 'UNAUTHENTICATED although A sent a valid access token' : undefined;
  }

  /**
   * Checks A's access token; when the server no longer takes it (a fuzzed logout or wrong
   * passwords may end A's sessions), logs A in again, from a fresh address that the fuzzed
   * failed logins have not rate-limited. Returns whether the token was still valid.
   */
  async ensureSession(): Promise<boolean> {
    const probe = await post(
      this.server.url,
      { token: this.a.accessToken, ip: this.ip },
      '{ me { id } }',
      {},
    );
    if ((probe.body?.data?.me as { id?: string } | undefined)?.id === this.a.id) return true;
    const payload = await this.logIn();
    this.a.accessToken = payload.accessToken;
    this.a.refreshToken = payload.refreshToken;
    this.notes.push("A's access token stopped working; logged in again");
    return false;
  }

  /**
   * What the ids in a failing request are, with the fields that matter for A's rows (a date in
   * year 9999 explains a failure that the request alone does not), so the report reproduces.
   */
  async describeIds(text: string): Promise<string[]> {
    const ids = [...new Set(text.toLowerCase().match(UUID_PATTERN) ?? [])];
    const lines: string[] = [];
    for (const id of ids) {
      const ownerAndKind = this.kindOf(id);
      if (!ownerAndKind) continue;
      const [owner, kind] = ownerAndKind;
      const fields = ROW_FIELDS[kind];
      if (owner === 'B' || !fields) {
        lines.push(`${id}: ${owner}'s ${kind}`);
        continue;
      }
      const query = `query ($id: ID!) { row: ${kind}(id: $id) { ${fields} } }`;
      const reply = await post(this.server.url, { token: this.a.accessToken, ip: this.ip }, query, { id });
      lines.push(
        `${id}: A's ${kind} ${JSON.stringify(reply.body?.data?.row ?? reply.body?.errors?.[0]?.message)}`,
      );
    }
    return lines;
  }

  private kindOf(id: string): ['A' | 'B', IdKind] | undefined {
    for (const kind of ID_KINDS) {
      if (this.aInventory.ids[kind].includes(id)) return ['A', kind];
      if (this.bInventory.ids[kind].includes(id)) return ['B', kind];
    }
    return undefined;
  }

  /** A new sign-in of A's, from a fresh address that fuzzed failed logins have not rate-limited. */
  private async logIn(): Promise<{ accessToken: string; refreshToken: string }> {
    const login = await post(this.server.url, { ip: randomIp() }, LOGIN, {
      input: { email: this.a.email, password: this.a.password },
    });
    const payload = login.body?.data?.login as { accessToken: string; refreshToken: string } | undefined;
    if (!payload) throw new Error(`A cannot log in: ${login.text.slice(0, 500)}`);
    return payload;
  }
}
