import { fileError } from './refusal.js';

/** The longest line (and CSV record) a bank file may have; real ones stay far below. */
export const MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** One line of the file as bytes, without its line ending. */
export interface RawLine {
  line: number;
  bytes: Buffer;
}

export interface TextLine {
  line: number;
  text: string;
}

/**
 * Splits the upload into lines as the chunks arrive, holding at most one line: a line past
 * MAX_LINE_BYTES is refused as soon as it gets that long, not when it ends (a 10 MB line never
 * sits in memory). Splitting on bytes first means every line is a whole UTF-8 sequence, so a
 * decoding error names its exact line. Refuses binary files (a NUL byte, UTF-16) and drops a
 * UTF-8 byte order mark. Lines end at LF; a CR before it is dropped.
 */
export async function* readRawLines(source: AsyncIterable<Buffer | string>): AsyncGenerator<RawLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  const finish = (bytes: Buffer): RawLine => checkLine(line === 1 ? withoutBom(bytes) : bytes, line);
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, end);
      const whole = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      yield finish(whole);
      line += 1;
      start = end + 1;
    }
    if (start < bytes.length) {
      pendingBytes += bytes.length - start;
      if (pendingBytes > MAX_LINE_BYTES) throw tooLong(line);
      // A copy, so a short tail does not keep the whole chunk alive.
      pending.push(Buffer.from(bytes.subarray(start)));
    }
  }
  if (pendingBytes > 0) yield finish(Buffer.concat(pending));
}

/** The lines decoded as UTF-8; a line that is not valid UTF-8 stops the file. */
export async function* readUtf8Lines(source: AsyncIterable<Buffer | string>): AsyncGenerator<TextLine> {
  const decode = lineDecoder('utf-8');
  for await (const { line, bytes } of readRawLines(source)) yield { line, text: decode(bytes, line) };
}

/** A decoder of whole lines: 'utf-8' refuses invalid sequences; 'windows-1252' reads any byte. */
export function lineDecoder(encoding: 'utf-8' | 'windows-1252'): (bytes: Buffer, line: number) => string {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  return (bytes, line) => {
    try {
      return decoder.decode(bytes);
    } catch {
      throw fileError(
        line,
        null,
        'this is not UTF-8 text (a binary file, or text in another encoding: save or export it as UTF-8)',
      );
    }
  };
}

function checkLine(bytes: Buffer, line: number): RawLine {
  if (bytes.length > MAX_LINE_BYTES) throw tooLong(line);
  if (line === 1 && isUtf16(bytes)) {
    throw fileError(line, null, 'this is UTF-16 text: save or export the file as UTF-8');
  }
  if (bytes.includes(0)) throw fileError(line, null, 'a NUL byte: this is a binary file, not a text export');
  const end =
    bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
  return { line, bytes: bytes.subarray(0, end) };
}

const withoutBom = (bytes: Buffer): Buffer =>
  bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes;

const isUtf16 = (bytes: Buffer): boolean =>
  bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));

const tooLong = (line: number) =>
  fileError(line, null, `the line is longer than ${MAX_LINE_BYTES / 1024} KiB: this is not a bank export`);
