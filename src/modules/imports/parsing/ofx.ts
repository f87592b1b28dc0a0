import { parseOfxAmount } from './amounts.js';
import { calendarDate } from './dates.js';
import { decodeOfx } from './ofx-header.js';
import { OfxTokenizer } from './ofx-tokens.js';
import { OfxTree, type OfxAggregate, type OfxVisitor } from './ofx-tree.js';
import type { RawLine } from './lines.js';
import type { ParsedItem } from './parsed-row.js';
import { cell, fileError, itemOrRefusal, Refusal } from './refusal.js';
import { MAX_BANK_ID_LENGTH, MAX_DESCRIPTION_LENGTH, MAX_PAYEE_LENGTH, readText } from './text.js';

/** YYYYMMDD, then optionally HHMM[SS[.XXX]] and a zone such as [-5:EST] or [+5.30:IST]. */
const OFX_DATE =
  /^(\d{4})(\d{2})(\d{2})(?:\d{4}(?:\d{2}(?:\.\d{1,3})?)?)?\s*(?:\[[+-]?\d{1,2}(?:\.\d{1,2})?(?::[^\]]*)?\])?$/;

const STATEMENTS = new Set(['STMTRS', 'CCSTMTRS']);
const ACCOUNTS = new Set(['BANKACCTFROM', 'CCACCTFROM']);

/**
 * Transactions (<STMTTRN>) of the bank and credit-card statements of an OFX/QFX file, 1.x SGML
 * or 2.x XML. DTPOSTED gives the date as written (the bank's local day, its zone ignored: a
 * zone would move late-evening rows to the next day), TRNAMT the signed amount (TRNTYPE is
 * not needed: the sign says the direction), FITID the bank id, NAME (or PAYEE's NAME) the payee
 * and MEMO the description, falling back to NAME. A transaction lacking DTPOSTED or TRNAMT is
 * a refused row naming the tag. A file without a statement, or with statements of two
 * accounts, is a file-level error.
 */
export async function* parseOfx(lines: AsyncIterable<RawLine>): AsyncGenerator<ParsedItem> {
  const statements = new StatementReader();
  const tree = new OfxTree(statements);
  const tokenizer = new OfxTokenizer();
  let lastLine = 1;
  for await (const { line, text } of decodeOfx(lines)) {
    lastLine = line;
    for (const token of tokenizer.push(text, line)) tree.take(token);
    // A line (at most 64 KiB) completes few transactions: handing them on per line is enough.
    yield* statements.takeReady();
  }
  for (const token of tokenizer.end()) tree.take(token);
  tree.end(lastLine);
  yield* statements.takeReady();
  statements.end(lastLine);
}

interface Transaction {
  frame: OfxAggregate;
  fields: Map<string, string>;
  payeeName: string | null;
}

class StatementReader implements OfxVisitor {
  private transaction: Transaction | null = null;
  private ready: ParsedItem[] = [];
  private statementCount = 0;
  private account: string | null = null;
  private investmentSeen = false;

  takeReady(): ParsedItem[] {
    const items = this.ready;
    if (items.length > 0) this.ready = [];
    return items;
  }

  end(lastLine: number): void {
    if (this.statementCount > 0) return;
    throw fileError(
      lastLine,
      null,
      this.investmentSeen
        ? 'this OFX file holds an investment statement; only bank and credit card statements can be imported'
        : 'this OFX file holds no bank or credit card statement',
    );
  }

  open(aggregate: OfxAggregate): void {
    if (STATEMENTS.has(aggregate.tag)) this.statementCount += 1;
    if (aggregate.tag === 'INVSTMTRS') this.investmentSeen = true;
    if (
      aggregate.tag === 'STMTTRN' &&
      aggregate.parent?.tag === 'BANKTRANLIST' &&
      this.inStatement(aggregate)
    ) {
      this.transaction = { frame: aggregate, fields: new Map(), payeeName: null };
    }
  }

  leaf(tag: string, value: string, line: number, parent: OfxAggregate): void {
    const transaction = this.transaction;
    if (transaction && parent === transaction.frame) {
      if (!transaction.fields.has(tag)) transaction.fields.set(tag, value);
    } else if (
      transaction &&
      tag === 'NAME' &&
      parent.tag === 'PAYEE' &&
      parent.parent === transaction.frame
    ) {
      transaction.payeeName = value;
    } else if (tag === 'ACCTID' && ACCOUNTS.has(parent.tag) && STATEMENTS.has(parent.parent?.tag ?? '')) {
      this.checkOneAccount(value, line);
    }
  }

  close(aggregate: OfxAggregate): void {
    if (this.transaction?.frame !== aggregate) return;
    const { fields, payeeName } = this.transaction;
    this.transaction = null;
    this.ready.push(itemOrRefusal(aggregate.line, () => transactionRow(aggregate.line, fields, payeeName)));
  }

  private inStatement(aggregate: OfxAggregate): boolean {
    for (let at = aggregate.parent; at; at = at.parent) if (STATEMENTS.has(at.tag)) return true;
    return false;
  }

  /** Rows of two accounts in one import would land in one account of the app. */
  private checkOneAccount(account: string, line: number): void {
    if (this.account !== null && this.account !== account) {
      throw fileError(
        line,
        'ACCTID',
        'this file holds statements of more than one account: export and import one account at a time',
      );
    }
    this.account = account;
  }
}

function transactionRow(line: number, fields: Map<string, string>, payeeName: string | null): ParsedItem {
  const required = (tag: string): string => {
    const value = fields.get(tag);
    if (value === undefined) throw new Refusal(`the transaction has no <${tag}>`, tag);
    if (value === '') throw new Refusal(`<${tag}> is empty`, tag);
    return value;
  };
  const date = cell('DTPOSTED', () => parseOfxDate(required('DTPOSTED')));
  const amount = cell('TRNAMT', () => parseOfxAmount(required('TRNAMT')));
  const name = cell('NAME', () => readText(fields.get('NAME') ?? payeeName, MAX_PAYEE_LENGTH));
  const memo = cell('MEMO', () => readText(fields.get('MEMO'), MAX_DESCRIPTION_LENGTH));
  const bankId = cell('FITID', () => readText(fields.get('FITID'), MAX_BANK_ID_LENGTH));
  return { kind: 'row', row: { line, date, amount, description: memo ?? name, payee: name, bankId } };
}

function parseOfxDate(text: string): string {
  const match = OFX_DATE.exec(text);
  if (!match) throw new Refusal(`"${text.slice(0, 40)}" is not an OFX date (YYYYMMDD…)`);
  return calendarDate(Number(match[1]), Number(match[2]), Number(match[3]), text);
}
