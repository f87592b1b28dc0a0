import { MAX_LINE_BYTES } from './lines.js';
import { fileError } from './refusal.js';

export type OfxToken =
  | { kind: 'open'; tag: string; line: number }
  | { kind: 'close'; tag: string; line: number }
  | { kind: 'text'; text: string; line: number };

const TAG = /^<(\/?)([A-Za-z][A-Za-z0-9._]*)\s*(\/?)>$/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * Splits the OFX body (SGML or XML alike) into tags and text as lines arrive, holding only the
 * tag or text in progress. Comments, processing instructions (<?xml …?>, <?OFX …?>) and
 * declarations are dropped; CDATA is text as is; entities are decoded in other text. Tag names
 * are upper-cased: OFX names are, a few exporters write them otherwise.
 */
export class OfxTokenizer {
  private inMarkup = false;
  private buffer = '';
  private bufferLine = 0;
  private textStarted = false;

  *push(text: string, line: number): Generator<OfxToken> {
    const input = `${text}\n`;
    for (let at = 0; at < input.length;) {
      if (!this.inMarkup) {
        const open = input.indexOf('<', at);
        this.addToBuffer(input.slice(at, open === -1 ? input.length : open), line);
        if (open === -1) break;
        if (this.textStarted)
          yield { kind: 'text', text: decodeEntities(this.buffer), line: this.bufferLine };
        this.buffer = '';
        this.textStarted = false;
        this.inMarkup = true;
        this.bufferLine = line;
        at = open;
      } else {
        const close = input.indexOf('>', at);
        this.addToBuffer(input.slice(at, close === -1 ? input.length : close + 1), line);
        if (close === -1) break;
        at = close + 1;
        if (!markupComplete(this.buffer)) continue;
        yield* this.markup(this.buffer, this.bufferLine);
        this.buffer = '';
        this.inMarkup = false;
      }
    }
  }

  *end(): Generator<OfxToken> {
    if (this.inMarkup) {
      throw fileError(this.bufferLine, null, `"${this.buffer.slice(0, 40).trim()}" is never closed by ">"`);
    }
    if (this.textStarted) yield { kind: 'text', text: decodeEntities(this.buffer), line: this.bufferLine };
    this.buffer = '';
    this.textStarted = false;
  }

  private addToBuffer(piece: string, line: number): void {
    // Text is dated from its first visible character, so a value's line is where it is written.
    if (!this.inMarkup && !this.textStarted && piece.trim() !== '') {
      this.textStarted = true;
      this.bufferLine = line;
    }
    this.buffer += piece;
    if (this.buffer.length > MAX_LINE_BYTES) {
      throw fileError(this.bufferLine, null, `a tag or value longer than ${MAX_LINE_BYTES / 1024} KiB`);
    }
  }

  private *markup(markup: string, line: number): Generator<OfxToken> {
    if (markup.startsWith('<![CDATA[')) {
      yield { kind: 'text', text: markup.slice('<![CDATA['.length, -']]>'.length), line };
      return;
    }
    if (markup.startsWith('<!') || markup.startsWith('<?')) return;
    const match = TAG.exec(markup);
    if (!match) throw fileError(line, null, `"${markup.slice(0, 40)}" is not an OFX tag`);
    const [, closing, name = '', selfClosing] = match;
    const tag = name.toUpperCase();
    if (closing && selfClosing) throw fileError(line, null, `"${markup}" is not an OFX tag`);
    if (!closing) yield { kind: 'open', tag, line };
    if (closing || selfClosing) yield { kind: 'close', tag, line };
  }
}

/** A comment or CDATA section may hold ">"; every other markup ends at the first one. */
function markupComplete(markup: string): boolean {
  if (markup.startsWith('<!--')) return markup.length >= 7 && markup.endsWith('-->');
  if (markup.startsWith('<![CDATA[')) return markup.endsWith(']]>');
  return true;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,6});/g, (whole, name: string) => {
    if (!name.startsWith('#')) return ENTITIES[name.toLowerCase()] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
      ? String.fromCodePoint(code)
      : whole;
  });
}
