import { lineDecoder, type RawLine, type TextLine } from './lines.js';
import { fileError } from './refusal.js';

/** How many lines an OFX 1.x header may take before the body: it has 9 fields. */
const MAX_HEADER_LINES = 30;
const SINGLE_BYTE_CHARSETS = new Set([
  '1252',
  'WINDOWS-1252',
  'CP1252',
  'ISO-8859-1',
  '8859-1',
  'LATIN1',
  'LATIN-1',
]);

/**
 * The body of an OFX file as text lines, decoded as its header says. OFX 1.x starts with
 * "OFXHEADER:100" and KEY:VALUE lines; CHARSET:1252 (or ISO-8859-1) means windows-1252 text,
 * anything else is read as UTF-8 (USASCII is a subset), strictly. OFX 2.x is XML: its
 * <?xml … encoding="…"?> decides the same way, UTF-8 by default. A body starting right at
 * <OFX> with no header is read as UTF-8. The header lines themselves are not passed on.
 */
export async function* decodeOfx(lines: AsyncIterable<RawLine>): AsyncGenerator<TextLine> {
  let decode: ((bytes: Buffer, line: number) => string) | null = null;
  const header: string[] = [];
  let lastLine = 0;
  for await (const { line, bytes } of lines) {
    lastLine = line;
    if (decode) {
      yield { line, text: decode(bytes, line) };
      continue;
    }
    // Header bytes are ASCII: latin1 maps each byte to one character, so indexes stay byte offsets.
    const ascii = bytes.toString('latin1');
    const bodyStart = ascii.indexOf('<');
    const beforeBody = bodyStart === -1 ? ascii : ascii.slice(0, bodyStart);
    if (beforeBody.trim() !== '') {
      if (header.length === 0 && !/^\s*OFXHEADER\s*:/i.test(beforeBody)) {
        throw fileError(
          line,
          null,
          'this is not an OFX file: it starts with neither OFXHEADER:100 nor <?xml or <OFX>',
        );
      }
      header.push(beforeBody);
    }
    if (bodyStart === -1) {
      if (line > MAX_HEADER_LINES) throw fileError(line, null, 'the OFX header goes on without a <OFX> body');
      continue;
    }
    decode = lineDecoder(encodingOf(header.join('\n'), ascii.slice(bodyStart), line));
    yield { line, text: decode(bytes.subarray(bodyStart), line) };
  }
  if (!decode)
    throw fileError(Math.max(lastLine, 1), null, 'this is not an OFX file: it has no <OFX> element');
}

function encodingOf(header: string, firstBodyLine: string, line: number): 'utf-8' | 'windows-1252' {
  if (header !== '') {
    const fields = new Map(
      [...header.matchAll(/([A-Z]+)\s*:\s*(\S*)/gi)].map(([, key, value]) => [key!.toUpperCase(), value!]),
    );
    if (fields.get('OFXHEADER') !== '100') {
      throw fileError(
        line,
        null,
        `OFXHEADER:${fields.get('OFXHEADER') ?? ''} is not a header this reader knows (100)`,
      );
    }
    if ((fields.get('ENCODING') ?? '').toUpperCase() === 'UTF-8') return 'utf-8';
    return SINGLE_BYTE_CHARSETS.has((fields.get('CHARSET') ?? '').toUpperCase()) ? 'windows-1252' : 'utf-8';
  }
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(firstBodyLine.trimStart())?.[1];
  if (declared === undefined || /^utf-?8$/i.test(declared) || /^us-ascii$/i.test(declared)) return 'utf-8';
  if (SINGLE_BYTE_CHARSETS.has(declared.toUpperCase())) return 'windows-1252';
  throw fileError(
    line,
    null,
    `the XML encoding "${declared.slice(0, 40)}" is not supported: export the file as UTF-8`,
  );
}
