/**
 * The bank-file parsers (src/modules/imports/parsing), pure and without a database: what each
 * format reads, which rows it refuses (with line, column and reason, parsing going on) and which
 * files it refuses as a whole (BAD_USER_INPUT on `file` naming the line). Files arrive in small
 * uneven chunks, as an upload does, so tokens and lines are split across chunk boundaries.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../src/errors/app-error.js';
import { checkParseOptions, parseImport } from '../src/modules/imports/parsing/parse-import.js';
import type {
  CsvColumnMapping,
  ParsedItem,
  ParsedRow,
  ParseOptions,
  RefusedRow,
} from '../src/modules/imports/parsing/parsed-row.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/import/${name}`, import.meta.url));
const example = (name: string): Buffer =>
  readFileSync(new URL(`../examples/import/${name}`, import.meta.url));

/** The content in chunks of 1, 2, 3… 13 bytes, round and round: every split point gets hit. */
async function* chunked(content: string | Buffer): AsyncGenerator<Buffer> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  for (let at = 0, size = 1; at < bytes.length; at += size, size = (size % 13) + 1) {
    yield bytes.subarray(at, at + size);
  }
}

async function parseAll(content: string | Buffer | AsyncIterable<Buffer | string>, options: ParseOptions) {
  const source = typeof content === 'string' || Buffer.isBuffer(content) ? chunked(content) : content;
  const items: ParsedItem[] = [];
  for await (const item of parseImport(source, options)) items.push(item);
  const rows: ParsedRow[] = items.flatMap((item) => (item.kind === 'row' ? [item.row] : []));
  const refused: RefusedRow[] = items.flatMap((item) => (item.kind === 'refused' ? [item.refused] : []));
  return { items, rows, refused };
}

/** The file-level error a parse ends with. */
async function fileErrorOf(content: string | Buffer | AsyncIterable<Buffer | string>, options: ParseOptions) {
  const error = await parseAll(content, options).then(
    () => expect.fail('expected a file-level error'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
  return { message: appError.message, line: appError.extensions.line, column: appError.extensions.column };
}

function optionErrorOf(options: ParseOptions) {
  try {
    checkParseOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return { field: (error as AppError).extensions.field, message: (error as AppError).message };
  }
  return expect.fail('expected the options to be refused');
}

const MAPPING: CsvColumnMapping = { date: 'Date', amount: 'Amount' };
const WITH_DESCRIPTION: CsvColumnMapping = { ...MAPPING, description: 'Description' };
const csv = (options: Partial<ParseOptions> = {}): ParseOptions => ({
  format: 'CSV',
  mapping: MAPPING,
  ...options,
});
const row = (line: number, date: string, amount: string, more: Partial<ParsedRow> = {}): ParsedRow => ({
  line,
  date,
  amount,
  description: null,
  payee: null,
  bankId: null,
  ...more,
});

describe('CSV', () => {
  it('reads a bank export by header names, in any chunking, skipping blank lines', async () => {
    const file =
      '\uFEFFDate,Description,Amount,Id\r\n' +
      '2026-01-02,"Coffee, large",-4.50,T1\r\n' +
      '\r\n' +
      ',,,\r\n' +
      '2026-01-03,"Salary ""January""",+2500,T2\r\n' +
      '2026-01-04,  Groceries  ,-1234.5,T3';
    const { rows, refused } = await parseAll(file, csv({ mapping: { ...WITH_DESCRIPTION, bankId: 'Id' } }));
    expect(refused).toEqual([]);
    expect(rows).toEqual([
      row(2, '2026-01-02', '-4.50', { description: 'Coffee, large', bankId: 'T1' }),
      row(5, '2026-01-03', '2500.00', { description: 'Salary "January"', bankId: 'T2' }),
      row(6, '2026-01-04', '-1234.50', { description: 'Groceries', bankId: 'T3' }),
    ]);
  });

  it('maps by column number, with or without a header, and matches header names ignoring case', async () => {
    const noHeader = await parseAll('02/01/2026;Rent;-900,00\n', {
      format: 'CSV',
      hasHeader: false,
      delimiter: ';',
      dateFormat: 'DD/MM/YYYY',
      decimalSeparator: ',',
      mapping: { date: '1', amount: '3', payee: '2' },
    });
    expect(noHeader.rows).toEqual([row(1, '2026-01-02', '-900.00', { payee: 'Rent' })]);
    const byCase = await parseAll(
      'DATE,AMOUNT,x\n2026-01-02,5,y\n',
      csv({ mapping: { date: 'date', amount: '2' } }),
    );
    expect(byCase.rows).toEqual([row(2, '2026-01-02', '5.00')]);
  });

  it('gives a record spanning lines the line it starts on', async () => {
    const file =
      'Date,Amount,Description\n2026-01-02,-1,"two\nlines"\n\n2026-01-03,-2,x\n2026-01-04,oops,y\n';
    const { rows, refused } = await parseAll(file, csv({ mapping: { date: 'Date', amount: 'Amount' } }));
    expect(rows.map((r) => r.line)).toEqual([2, 5]);
    expect(refused).toEqual([
      { line: 6, column: 'Amount', reason: expect.stringContaining('"oops" is not an amount') },
    ]);
  });

  it('reads debit/credit pairs: debit is money out, exactly one of them filled (a 0 counts as empty)', async () => {
    const file =
      'Date,Debit,Credit\n2026-01-02,12.00,\n2026-01-03,,30\n2026-01-04,5,6\n2026-01-05,,\n2026-01-06,-7.00,0.00\n';
    const { rows, refused } = await parseAll(
      file,
      csv({ mapping: { date: 'Date', debit: 'Debit', credit: 'Credit' } }),
    );
    expect(rows.map((r) => [r.line, r.amount])).toEqual([
      [2, '-12.00'],
      [3, '30.00'],
      [6, '-7.00'],
    ]);
    expect(refused).toEqual([
      { line: 4, column: null, reason: 'both Debit and Credit are filled' },
      { line: 5, column: null, reason: 'neither Debit nor Credit is filled' },
    ]);
  });

  it('flips every sign with invertSigns', async () => {
    const { rows } = await parseAll(
      'Date,Amount\n2026-01-02,12.00\n2026-01-03,-3\n',
      csv({ invertSigns: true }),
    );
    expect(rows.map((r) => r.amount)).toEqual(['-12.00', '3.00']);
  });

  it.each([
    ['1,234.56', '.', '1234.56'],
    ['-1,234,567.8', '.', '-1234567.80'],
    ['1.234,56', ',', '1234.56'],
    ['1 234,56', ',', '1234.56'],
    ['1\u00a0234,56', ',', '1234.56'],
    ['(12.34)', '.', '-12.34'],
    ['12.34-', '.', '-12.34'],
    ['$ 1,000.00', '.', '1000.00'],
    ['-$5', '.', '-5.00'],
    ['12,50 €', ',', '12.50'],
    ['EUR -3,10', ',', '-3.10'],
    ['+5', '.', '5.00'],
    ['.5', '.', '0.50'],
    ['000012.30', '.', '12.30'],
    ['999999999999999.99', '.', '999999999999999.99'],
  ] as const)('reads the amount %s with decimal separator %s as %s', async (amount, separator, expected) => {
    const file = `Date;Amount\n2026-01-02;"${amount}"\n`;
    const { rows } = await parseAll(file, csv({ delimiter: ';', decimalSeparator: separator }));
    expect(rows[0]?.amount).toBe(expected);
  });

  it.each([
    ['1.234,56', '.', 'wrong place'],
    ['1,234.56', ',', 'wrong place'],
    ['12,34', '.', 'wrong place'],
    ['1.000', '.', 'more than 2 decimals'],
    ['1,23,456.00', '.', 'wrong place'],
    ['12.345', '.', 'more than 2 decimals'],
    ['1.2.3', '.', 'more than one decimal separator'],
    ['-(5)', '.', 'more than one sign'],
    ['1234567890123456', '.', 'more than 15 integer digits'],
    ['12abc', '.', 'is not an amount'],
    ['1e3', '.', 'is not an amount'],
  ] as const)('refuses the amount %s with decimal separator %s (%s)', async (amount, separator, reason) => {
    const file = `Date;Amount\n2026-01-02;"${amount}"\n2026-01-03;1\n`;
    const { rows, refused } = await parseAll(file, csv({ delimiter: ';', decimalSeparator: separator }));
    expect(refused).toEqual([{ line: 2, column: 'Amount', reason: expect.stringContaining(reason) }]);
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['DD.MM.YYYY', '31.01.2026', '2026-01-31'],
    ['MM/DD/YYYY', '1/31/2026', '2026-01-31'],
    ['M/D/YY', '1/31/26', '2026-01-31'],
    ['D/M/YY', '31/1/99', '1999-01-31'],
    ['YYYYMMDD', '20260131', '2026-01-31'],
    ['YYYY-MM-DD', '2024-02-29', '2024-02-29'],
  ])('reads dates in the format %s', async (format, text, expected) => {
    const { rows } = await parseAll(`Date,Amount\n${text},1\n`, csv({ dateFormat: format }));
    expect(rows[0]?.date).toBe(expected);
  });

  it.each(['2026-02-30', '2023-02-29', '1899-12-31', '2026-13-01', '26-01-02', '2026/01/02', 'soon'])(
    'refuses the date %s',
    async (text) => {
      const { refused } = await parseAll(`Date,Amount\n${text},1\n`, csv());
      expect(refused).toEqual([{ line: 2, column: 'Date', reason: expect.stringContaining(text) }]);
    },
  );

  it.each([
    ['=SUM(A1:A9)', 'looks like a spreadsheet formula'],
    ['@IMPORTXML()', 'looks like a spreadsheet formula'],
    ['+cmd', 'looks like a spreadsheet formula'],
    ['-2+3+cmd|calc', 'looks like a spreadsheet formula'],
    ['\tTabbed', 'tab or carriage return'],
    ['x'.repeat(501), 'longer than 500 characters'],
  ])('refuses a description such as %j, naming the column', async (description, reason) => {
    const file = `Date,Amount,Description\n2026-01-02,1,"${description}"\n2026-01-03,2,fine\n`;
    const { rows, refused } = await parseAll(file, csv({ mapping: WITH_DESCRIPTION }));
    expect(refused).toEqual([{ line: 2, column: 'Description', reason: expect.stringContaining(reason) }]);
    expect(rows).toEqual([row(3, '2026-01-03', '2.00', { description: 'fine' })]);
  });

  it('keeps text that only starts with a signed number', async () => {
    const file = 'Date,Amount,Description\n2026-01-02,1,-12.50\n2026-01-03,1,+1 555 0100\n';
    const { rows } = await parseAll(file, csv({ mapping: WITH_DESCRIPTION }));
    expect(rows.map((r) => r.description)).toEqual(['-12.50', '+1 555 0100']);
  });

  it('refuses a row with a wrong column count or an empty required cell, and goes on', async () => {
    const file =
      'Date,Amount,Description\n2026-01-02,1\n2026-01-03,2,x,extra\n2026-01-04,3,x,\n,4,x\n2026-01-06,,x\n';
    const { rows, refused } = await parseAll(file, csv());
    expect(rows.map((r) => r.line)).toEqual([4]);
    expect(refused).toEqual([
      { line: 2, column: null, reason: 'the row has 2 columns where the header has 3' },
      { line: 3, column: null, reason: 'the row has 4 columns where the header has 3' },
      { line: 5, column: 'Date', reason: 'is empty' },
      { line: 6, column: 'Amount', reason: 'is empty' },
    ]);
  });

  it('streams 5,000 generated rows and refuses exactly the 2 bad ones with their lines', async () => {
    async function* generated(): AsyncGenerator<string> {
      yield 'Date,Amount,Description,Id\n';
      for (let n = 1; n <= 5000; n += 1) {
        const amount = n === 1234 ? '12.3.4' : `-${n}.${String(n % 100).padStart(2, '0')}`;
        const date = n === 4321 ? '2026-02-31' : `2026-0${(n % 9) + 1}-1${n % 10}`;
        yield `${date},${amount},Shop ${n},ID${n}\n`;
      }
    }
    const { rows, refused } = await parseAll(
      generated(),
      csv({ mapping: { ...WITH_DESCRIPTION, bankId: 'Id' } }),
    );
    expect(rows).toHaveLength(4998);
    expect(rows[0]).toEqual(row(2, '2026-02-11', '-1.01', { description: 'Shop 1', bankId: 'ID1' }));
    expect(refused.map((r) => [r.line, r.column])).toEqual([
      [1235, 'Amount'],
      [4322, 'Date'],
    ]);
  });

  it('refuses a mapping naming a column the header lacks, at line 1', async () => {
    const error = await fileErrorOf(
      'Date,Value\n2026-01-02,1\n',
      csv({ mapping: { date: 'Date', amount: 'Amount' } }),
    );
    expect(error).toMatchObject({ line: 1, column: 'Amount' });
    expect(error.message).toBe(
      'line 1, column Amount: the header has no column "Amount" (it has: Date, Value)',
    );
  });

  it('refuses a column number beyond the first row of a file without header', async () => {
    const options: ParseOptions = { format: 'CSV', hasHeader: false, mapping: { date: '1', amount: '4' } };
    expect(await fileErrorOf('2026-01-02,1\n', options)).toMatchObject({ line: 1, column: '4' });
  });

  it('refuses a quoted field left open at the end, naming the line it opens on', async () => {
    const error = await fileErrorOf(
      'Date,Amount,Description\n2026-01-02,1,ok\n2026-01-03,2,"never\nclosed\n',
      csv(),
    );
    expect(error).toMatchObject({
      line: 3,
      message: 'line 3: a quoted field opened on this line is never closed',
    });
  });

  it('refuses a stray quote inside a field', async () => {
    expect(await fileErrorOf('Date,Amount\n2026-01-02,1"5\n', csv())).toMatchObject({ line: 2 });
  });

  it('refuses a 10 MB line as soon as it passes 64 KiB, without waiting for its end', async () => {
    let bytesRead = 0;
    async function* hugeLine(): AsyncGenerator<Buffer> {
      yield Buffer.from('Date,Amount,Description\n2026-01-02,1,ok\n2026-01-03,2,');
      for (let n = 0; n < 160; n += 1) {
        bytesRead += 65536;
        yield Buffer.alloc(65536, 'a');
      }
    }
    const error = await fileErrorOf(hugeLine(), csv());
    expect(error).toMatchObject({ line: 3, message: expect.stringContaining('longer than 64 KiB') });
    expect(bytesRead).toBeLessThanOrEqual(2 * 65536);
  });

  it('refuses a quoted record spreading past 64 KiB over many short lines', async () => {
    const file = `Date,Amount,Description\n2026-01-02,1,"${'short line\n'.repeat(7000)}"\n`;
    expect(await fileErrorOf(file, csv())).toMatchObject({
      line: 2,
      message: expect.stringContaining('64 KiB'),
    });
  });

  it('refuses binary files: NUL bytes, invalid UTF-8, UTF-16', async () => {
    const zip = Buffer.concat([
      Buffer.from('Date,Amount\n2026-01-02,1\n'),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]),
    ]);
    expect(await fileErrorOf(zip, csv())).toMatchObject({
      line: 3,
      message: expect.stringContaining('binary'),
    });
    const latin1 = Buffer.concat([
      Buffer.from('Date,Amount,Description\n2026-01-02,1,caf'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    expect(await fileErrorOf(latin1, csv())).toMatchObject({
      line: 2,
      message: expect.stringContaining('UTF-8'),
    });
    const utf16 = Buffer.from('\uFEFFDate,Amount\n', 'utf16le');
    expect(await fileErrorOf(utf16, csv())).toMatchObject({
      line: 1,
      message: expect.stringContaining('UTF-16'),
    });
  });

  it('reads the users’ example checking.csv', async () => {
    const { rows, refused } = await parseAll(
      example('checking.csv'),
      csv({
        mapping: {
          date: 'Date',
          amount: 'Amount',
          description: 'Description',
          payee: 'Payee',
          bankId: 'Transaction ID',
        },
      }),
    );
    expect(refused).toEqual([]);
    expect(rows).toHaveLength(15);
    expect(rows.every((r) => /^2026-\d\d-\d\d$/.test(r.date) && r.bankId !== null)).toBe(true);
  });
});

describe('OFX', () => {
  it('reads OFX 1.x SGML in windows-1252: unclosed leaves, mixed closing tags, entities, PAYEE', async () => {
    const { rows, refused } = await parseAll(fixture('checking-sgml-1252.ofx'), { format: 'OFX' });
    expect(rows).toEqual([
      row(39, '2026-01-05', '-200.00', { bankId: '00002' }),
      row(46, '2026-01-06', '-45.10', {
        bankId: '00003',
        payee: 'CAFÉ DE LA GARE',
        description: 'Card 1234 & tip',
      }),
      row(54, '2026-01-07', '2500.00', {
        bankId: '00004',
        payee: 'ACME PAYROLL',
        description: 'ACME PAYROLL',
      }),
      row(68, '2026-01-09', '-9.02', {
        bankId: '00006',
        payee: 'CORNER GROCERY',
        description: 'CORNER GROCERY',
      }),
    ]);
    expect(refused).toEqual([{ line: 62, column: 'TRNAMT', reason: 'the transaction has no <TRNAMT>' }]);
  });

  it('reads OFX 2.x XML (a .qfx credit card statement) with CDATA and an impossible date refused', async () => {
    const { rows, refused } = await parseAll(fixture('credit-card-xml.qfx'), { format: 'OFX' });
    expect(rows).toEqual([
      row(35, '2026-02-03', '-61.27', {
        bankId: '2026020324692163034100005437212',
        payee: 'SHELL OIL 57444',
        description: 'FUEL <PUMP 4>',
      }),
      row(44, '2026-02-15', '1500.00', {
        bankId: '2026021574692163046100006998431',
        payee: 'PAYMENT THANK YOU',
        description: 'PAYMENT THANK YOU',
      }),
    ]);
    expect(refused).toEqual([
      { line: 52, column: 'DTPOSTED', reason: expect.stringContaining('not a real date') },
    ]);
  });

  it('refuses aggregates nested past 32 levels, naming where', async () => {
    const nested = `OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<STMTRS>\n${'<BANKTRANLIST>\n<STMTTRN>\n'.repeat(20_000)}`;
    const error = await fileErrorOf(nested, { format: 'OFX' });
    expect(error).toMatchObject({ line: 37 }); // the 33rd aggregate: <OFX> is on line 5
    expect(error.message).toMatch(/nest more than 32 deep/);
  });

  it('reads an OFX file with everything on one line and the amount written with a comma', async () => {
    const file =
      'OFXHEADER:100 DATA:OFXSGML VERSION:102 SECURITY:NONE ENCODING:USASCII CHARSET:NONE ' +
      '<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260110' +
      '<TRNAMT>-300,5<FITID>9<MEMO>ATM</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>';
    const { rows } = await parseAll(file, { format: 'OFX', invertSigns: true });
    expect(rows).toEqual([row(1, '2026-01-10', '300.50', { bankId: '9', description: 'ATM' })]);
  });

  it('skips a UTF-8 byte order mark and decodes the XML encoding the declaration names', async () => {
    const file = Buffer.concat([
      Buffer.from('\uFEFF<?xml version="1.0" encoding="windows-1252"?>\n<?OFX OFXHEADER="200"?>\n<OFX>'),
      Buffer.from('<CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><BANKTRANLIST>\n<STMTTRN><DTPOSTED>20260301'),
      Buffer.from('</DTPOSTED><TRNAMT>-3.00</TRNAMT><FITID>A1</FITID><NAME>Caf'),
      Buffer.from([0xe9]),
      Buffer.from('</NAME></STMTTRN>\n</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>\n'),
    ]);
    const { rows } = await parseAll(file, { format: 'OFX' });
    expect(rows).toEqual([
      row(4, '2026-03-01', '-3.00', { bankId: 'A1', payee: 'Café', description: 'Café' }),
    ]);
  });

  it('reads the users’ examples checking.ofx and credit-card.qfx', async () => {
    const checking = await parseAll(example('checking.ofx'), { format: 'OFX' });
    expect(checking.refused).toEqual([]);
    expect(checking.rows).toHaveLength(10);
    const card = await parseAll(example('credit-card.qfx'), { format: 'OFX' });
    expect(card.refused).toEqual([]);
    expect(card.rows.length).toBeGreaterThanOrEqual(6);
    for (const r of [...checking.rows, ...card.rows]) expect(r.bankId).not.toBeNull();
  });

  const body = (transactions: string) =>
    `OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<STMTRS>\n<BANKTRANLIST>\n${transactions}</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n`;

  it.each([
    ['a CSV file', 'Date,Amount\n2026-01-02,1\n', 1, 'not an OFX file'],
    ['an HTML page', '<!DOCTYPE html>\n<html><body>Sign in</body></html>\n', 2, 'first element is <HTML>'],
    ['an empty file', '', 1, 'no <OFX> element'],
    ['a header only', 'OFXHEADER:100\nDATA:OFXSGML\n', 2, 'no <OFX> element'],
    [
      'an aggregate closed by the wrong tag',
      body('<STMTTRN>\n<DTPOSTED>20260101\n<TRNAMT>1\n<PAYEE>\n<NAME>X\n</STMTTRN>\n'),
      15,
      '</STMTTRN> closes nothing open: <PAYEE> of line 13 is still open',
    ],
    [
      'a truncated download',
      body('<STMTTRN>\n<DTPOSTED>20260101\n').split('</BANKTRANLIST>')[0]!,
      10,
      'is never closed',
    ],
    [
      'text between aggregates',
      body('<STMTTRN>\n<DTPOSTED>20260101\n</STMTTRN>\nstray\n'),
      13,
      'text between elements',
    ],
    ['a broken tag', body('<STMTTRN\n'), 10, 'is not an OFX tag'],
    ['a tag cut off at the end', 'OFXHEADER:100\n<OFX>\n<STMTTRN', 3, 'never closed by ">"'],
    [
      'a statement without transactions list',
      'OFXHEADER:100\n<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<CODE>0\n</SONRS>\n</SIGNONMSGSRSV1>\n</OFX>\n',
      8,
      'no bank or credit card statement',
    ],
    [
      'an investment statement',
      '<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD</INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>',
      1,
      'investment statement',
    ],
  ])('refuses %s as a whole, naming the line', async (_what, file, line, message) => {
    expect(await fileErrorOf(file, { format: 'OFX' })).toMatchObject({
      line,
      message: expect.stringContaining(message),
    });
  });

  it('refuses a file with statements of two accounts', async () => {
    const statement = (account: string) =>
      `<STMTTRNRS><STMTRS><BANKACCTFROM><ACCTID>${account}</BANKACCTFROM><BANKTRANLIST></BANKTRANLIST></STMTRS></STMTTRNRS>\n`;
    const file = `<OFX>\n<BANKMSGSRSV1>\n${statement('111')}${statement('111')}${statement('222')}</BANKMSGSRSV1>\n</OFX>\n`;
    expect(await fileErrorOf(file, { format: 'OFX' })).toMatchObject({ line: 5, column: 'ACCTID' });
  });

  it('refuses a transaction without a date, or with a bad amount, naming the tag, and goes on', async () => {
    const file = body(
      '<STMTTRN>\n<TRNAMT>-1.00\n<FITID>1\n</STMTTRN>\n' +
        '<STMTTRN>\n<DTPOSTED>20260101\n<TRNAMT>1.005\n</STMTTRN>\n' +
        '<STMTTRN>\n<DTPOSTED>2026-01-01\n<TRNAMT>1\n</STMTTRN>\n' +
        '<STMTTRN>\n<DTPOSTED>20260101\n<TRNAMT>\n<NAME>=1+1\n</STMTTRN>\n' +
        '<STMTTRN>\n<DTPOSTED>20260102\n<TRNAMT>-200.000\n</STMTTRN>\n',
    );
    const { rows, refused } = await parseAll(file, { format: 'OFX' });
    expect(refused).toEqual([
      { line: 10, column: 'DTPOSTED', reason: 'the transaction has no <DTPOSTED>' },
      { line: 14, column: 'TRNAMT', reason: '"1.005" has more than 2 decimals' },
      { line: 18, column: 'DTPOSTED', reason: expect.stringContaining('not an OFX date') },
      { line: 22, column: 'TRNAMT', reason: '<TRNAMT> is empty' },
    ]);
    expect(rows).toEqual([row(27, '2026-01-02', '-200.00')]);
  });

  it('refuses binary content and invalid UTF-8 where the header promises UTF-8', async () => {
    const binary = Buffer.concat([Buffer.from('OFXHEADER:100\n<OFX>\n'), Buffer.from([0x00, 0x01])]);
    expect(await fileErrorOf(binary, { format: 'OFX' })).toMatchObject({
      line: 3,
      message: expect.stringContaining('binary'),
    });
    const latin1 = Buffer.concat([
      Buffer.from('<?xml version="1.0"?>\n<OFX>\n<NAME>caf'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    expect(await fileErrorOf(latin1, { format: 'OFX' })).toMatchObject({
      line: 3,
      message: expect.stringContaining('UTF-8'),
    });
  });
});

describe('QIF', () => {
  it('reads bank records: apostrophe years, T or U, splits ignored, other lists skipped with a reason', async () => {
    const { rows, refused } = await parseAll(fixture('checking.qif'), { format: 'QIF' });
    expect(rows).toEqual([
      row(6, '2024-01-31', '-1234.56', { payee: 'LANDLORD LLC', description: 'January rent' }),
      row(13, '2004-02-01', '250.00', { payee: 'Refund Store', description: 'Refund Store' }),
      row(18, '1999-12-25', '-20.00', { payee: 'Gift Shop', description: 'Gift Shop' }),
    ]);
    expect(refused).toEqual([
      { line: 26, column: 'D', reason: expect.stringContaining('not a real date') },
      { line: 30, column: 'T', reason: expect.stringContaining('is not an amount') },
      { line: 34, column: 'P', reason: expect.stringContaining('spreadsheet formula') },
      { line: 38, column: 'T', reason: 'the record has no amount (T line)' },
      { line: 41, column: 'T', reason: expect.stringContaining('wrong place') },
      { line: 45, column: '!Type:Cat', reason: 'a list of categories, not transactions: skipped' },
    ]);
  });

  it('reads dates with the dateFormat option and amounts with a decimal comma', async () => {
    const file = '!Type:CCard\nD31.01.2026\nT-1.234,50\nPShop\n^\nD01.02.2026\nT5\n';
    const { rows } = await parseAll(file, { format: 'QIF', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',' });
    expect(rows).toEqual([
      row(2, '2026-01-31', '-1234.50', { payee: 'Shop', description: 'Shop' }),
      row(6, '2026-02-01', '5.00'),
    ]);
  });

  it('reads the users’ example wallet.qif', async () => {
    const { rows, refused } = await parseAll(example('wallet.qif'), { format: 'QIF' });
    expect(refused).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(8);
  });

  it.each([
    ['no header', 'D1/1/26\nT1\n^\n', 1, 'not a QIF file'],
    ['an investment account', '!Type:Invst\nD1/1/26\nNBuy\n^\n', 1, 'investment account'],
    ['an unknown section', '!Type:Spreadsheet\n', 1, 'is not a QIF section'],
    [
      'a second account',
      '!Account\nNA\n^\n!Type:Bank\nD1/1/26\nT1\n^\n!Account\nNB\n^\n',
      8,
      'more than one account',
    ],
    ['a binary file', '!Type:Bank\nD1/1/26\u0000\n', 2, 'binary'],
  ])('refuses %s as a whole', async (_what, file, line, message) => {
    expect(await fileErrorOf(file, { format: 'QIF' })).toMatchObject({
      line,
      message: expect.stringContaining(message),
    });
  });
});

describe('options', () => {
  it.each<[string, ParseOptions, string]>([
    ['an unknown format', { format: 'XLSX' as 'CSV' }, 'format'],
    ['an unknown date format token', csv({ dateFormat: 'DD-Mon-YYYY' }), 'dateFormat'],
    ['a date format without a day', csv({ dateFormat: 'YYYY-MM' }), 'dateFormat'],
    ['an ambiguous date format', csv({ dateFormat: 'YYYYMD' }), 'dateFormat'],
    ['a CSV without mapping', { format: 'CSV' }, 'mapping'],
    ['a mapping without date', csv({ mapping: { date: null as unknown as string, amount: 'A' } }), 'mapping'],
    ['a mapping without amount', csv({ mapping: { date: 'D' } }), 'mapping'],
    [
      'amount together with debit/credit',
      csv({ mapping: { date: 'D', amount: 'A', debit: 'X', credit: 'Y' } }),
      'mapping',
    ],
    ['a debit without credit', csv({ mapping: { date: 'D', debit: 'X' } }), 'mapping'],
    [
      'a column name without header',
      csv({ hasHeader: false, mapping: { date: 'Date', amount: '2' } }),
      'mapping',
    ],
    ['a two-character delimiter', csv({ delimiter: ';;' }), 'delimiter'],
    ['a quote as delimiter', csv({ delimiter: '"' }), 'delimiter'],
    ['a decimal separator other than . or ,', csv({ decimalSeparator: "'" }), 'decimalSeparator'],
    ['a mapping for OFX', { format: 'OFX', mapping: MAPPING }, 'mapping'],
    ['a mapping for QIF', { format: 'QIF', mapping: MAPPING }, 'mapping'],
    ['a delimiter for QIF', { format: 'QIF', delimiter: ';' }, 'delimiter'],
    ['a date format for OFX', { format: 'OFX', dateFormat: 'YYYYMMDD' }, 'dateFormat'],
  ])('refuses %s before reading the file', async (_what, options, field) => {
    expect(optionErrorOf(options).field).toBe(field);
    let read = false;
    async function* untouched(): AsyncGenerator<string> {
      read = true;
      yield '';
    }
    await expect(parseAll(untouched(), options)).rejects.toMatchObject({ extensions: { field } });
    expect(read).toBe(false);
  });

  it('names the unknown token of a date format', () => {
    expect(optionErrorOf(csv({ dateFormat: 'DD/MMM/YYYY' })).message).toContain('dateFormat "DD/MMM/YYYY"');
  });
});
