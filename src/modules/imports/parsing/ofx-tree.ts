import type { OfxToken } from './ofx-tokens.js';
import { fileError } from './refusal.js';

/** An open aggregate (an element holding others): its tag, where it opened, its parent. */
export interface OfxAggregate {
  tag: string;
  line: number;
  parent: OfxAggregate | null;
  children: number;
  /** 1 for <OFX>. */
  depth: number;
}

/** The deepest nesting read; real statements nest about 8 deep. */
const MAX_DEPTH = 32;

/** What the tree reports, in document order, to the reader of statements. */
export interface OfxVisitor {
  open(aggregate: OfxAggregate): void;
  leaf(tag: string, value: string, line: number, parent: OfxAggregate): void;
  close(aggregate: OfxAggregate, line: number): void;
}

/**
 * Elements OFX defines as data (leaves), which a bank may leave empty in SGML ("<MEMO>" then the
 * next tag): read as empty values, not as aggregates that would swallow their neighbours.
 */
const KNOWN_LEAVES = new Set(
  (
    'TRNTYPE DTPOSTED DTUSER DTAVAIL TRNAMT FITID CORRECTFITID CORRECTACTION SRVRTID CHECKNUM REFNUM ' +
    'SIC PAYEEID NAME EXTDNAME MEMO INV401KSOURCE BANKID BRANCHID ACCTID ACCTTYPE ACCTKEY CURDEF ' +
    'CURRATE CURSYM DTSTART DTEND BALAMT DTASOF MKTGINFO CODE SEVERITY MESSAGE TRNUID'
  ).split(' '),
);

/**
 * Rebuilds the element structure of OFX 1.x SGML and 2.x XML from tokens. SGML leaves
 * ("<TRNAMT>-12.00") need no closing tag; a closing tag right after a leaf's value is taken
 * when present (the mixed files some banks write). A tag followed by another tag is an
 * aggregate, which must be closed; closing an outer aggregate also closes open ones inside it
 * only when they are empty (an SGML element left without value). Everything else unbalanced
 * is a file-level error naming the line.
 */
export class OfxTree {
  private top: OfxAggregate | null = null;
  /** A tag just opened: a leaf if text follows, an aggregate if a tag does. */
  private pending: { tag: string; line: number } | null = null;
  /** The leaf just read, whose optional closing tag may come next. */
  private lastLeaf: string | null = null;
  private rootSeen = false;
  private rootClosed = false;

  constructor(private readonly visitor: OfxVisitor) {}

  take(token: OfxToken): void {
    if (token.kind === 'text') return this.text(token.text, token.line);
    if (token.kind === 'open') return this.open(token.tag, token.line);
    return this.close(token.tag, token.line);
  }

  end(lastLine: number): void {
    this.settlePending();
    if (!this.rootSeen) throw fileError(lastLine, null, 'this is not an OFX file: it has no <OFX> element');
    if (this.top) throw fileError(this.top.line, this.top.tag, `<${this.top.tag}> is never closed`);
  }

  private text(text: string, line: number): void {
    const leaf = this.pending;
    if (!leaf || this.top === null) {
      const where = this.rootClosed ? 'after </OFX>' : this.rootSeen ? 'between elements' : 'before <OFX>';
      throw fileError(line, null, `text ${where}: "${text.trim().slice(0, 40)}"`);
    }
    this.pending = null;
    this.addLeaf(leaf.tag, text, leaf.line);
  }

  private open(tag: string, line: number): void {
    this.settlePending();
    this.lastLeaf = null;
    if (this.rootClosed) throw fileError(line, tag, `<${tag}> after </OFX>: the file goes on past its end`);
    if (!this.rootSeen && tag !== 'OFX') {
      throw fileError(line, tag, `this is not an OFX file: its first element is <${tag}>, not <OFX>`);
    }
    this.rootSeen = true;
    this.pending = { tag, line };
  }

  private close(tag: string, line: number): void {
    if (this.pending?.tag === tag) {
      // "<MEMO></MEMO>" or "<BANKTRANLIST/>": an empty element.
      this.pending = null;
      if (this.top === null) {
        this.rootClosed = true;
        return;
      }
      return this.addLeaf(tag, '', line);
    }
    this.settlePending();
    if (this.lastLeaf === tag) {
      this.lastLeaf = null;
      return;
    }
    this.lastLeaf = null;
    let frame = this.top;
    while (frame && frame.tag !== tag) {
      if (frame.children > 0) {
        throw fileError(
          line,
          tag,
          `</${tag}> closes nothing open: <${frame.tag}> of line ${frame.line} is still open`,
        );
      }
      frame = frame.parent;
    }
    if (!frame) throw fileError(line, tag, `</${tag}> closes nothing open`);
    while (this.top !== frame.parent) {
      const closing = this.top!;
      this.top = closing.parent;
      this.visitor.close(closing, line);
    }
    if (frame.tag === 'OFX' && frame.parent === null) this.rootClosed = true;
  }

  /** The tag just opened was followed by another tag: an aggregate, or an empty known leaf. */
  private settlePending(): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    if (KNOWN_LEAVES.has(pending.tag) && this.top) return this.addLeaf(pending.tag, '', pending.line);
    if (this.top) this.top.children += 1;
    const depth = (this.top?.depth ?? 0) + 1;
    // A file nesting without end would make every open (and the statement reader's walk up) longer.
    if (depth > MAX_DEPTH)
      throw fileError(pending.line, pending.tag, `aggregates nest more than ${MAX_DEPTH} deep`);
    this.top = { tag: pending.tag, line: pending.line, parent: this.top, children: 0, depth };
    this.visitor.open(this.top);
  }

  private addLeaf(tag: string, value: string, line: number): void {
    const parent = this.top;
    if (!parent) throw fileError(line, tag, `<${tag}> outside of <OFX>`);
    parent.children += 1;
    this.lastLeaf = tag;
    this.visitor.leaf(tag, value.trim(), line, parent);
  }
}
