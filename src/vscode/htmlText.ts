// A web page as readable text for the model: headings, paragraphs, list items and table rows on their own
// lines, `<pre>` kept as written, scripts, styles and other non-content left out, entities decoded. Parsed
// with htmlparser2 (a small, forgiving, well-kept streaming parser) rather than regular expressions, which
// get comments, attributes holding `>` and unclosed tags wrong.
import { Parser } from 'htmlparser2';

/** Elements whose content is not text a reader sees (a page's title is returned on its own). */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'canvas', 'select', 'button', 'head', 'title']);
/** Elements whose own `<title>` (an icon's tooltip) is not the page's. */
const FOREIGN = new Set(['svg', 'math']);
/** Elements that start on a new line. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form',
  'header', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
]);
/** Blocks set off by a blank line, as paragraphs read. */
const PARAGRAPHS = new Set(['p', 'pre', 'blockquote', 'table', 'ul', 'ol', 'dl', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** How much of the page the parser is given at a time. */
const WRITE_CHARS = 64 * 1024;
/**
 * Elements open at once past which the rest of a page is not read. Real pages nest a few dozen deep; markup
 * that never closes its tags nests ever deeper, and the parser then spends time in proportion to that depth on
 * every closing tag that matches nothing, which on a page of megabytes would hold up the extension host.
 */
const MAX_DEPTH = 512;
/** A title longer than this is cut: one that is never closed would otherwise take in the whole page. */
const MAX_TITLE_CHARS = 300;

/**
 * The text so far, in pieces. How it ends (its last character, how many newlines) is kept aside, so that no
 * write looks back over what came before: a page of megabytes is read in one pass.
 */
class TextOutput {
  private readonly parts: string[] = [];
  private length = 0;
  /** How many newlines the text ends with. */
  private newlines = 0;
  /** Past this length, `longerThan` looks at the finished text again (doubling, so it costs one pass in all). */
  private nextCheck = 0;
  private long = false;
  /** The text's last character, '' while it is empty. */
  last = '';

  write(piece: string): void {
    if (piece === '') return;
    this.parts.push(piece);
    this.length += piece.length;
    this.last = piece[piece.length - 1]!;
    let end = piece.length;
    while (end > 0 && piece[end - 1] === '\n') end -= 1;
    this.newlines = end === 0 ? this.newlines + piece.length : piece.length - end;
  }

  /** Ends the line with at least `lines` newlines (2: a blank line after it). Spaces ending it go in `text`. */
  breakLine(lines: number): void {
    if (this.length > 0 && this.newlines < lines) this.write('\n'.repeat(lines - this.newlines));
  }

  /** Whether the finished text would be longer than `max` characters. */
  longerThan(max: number): boolean {
    if (this.long) return true;
    if (this.length <= max || this.length < this.nextCheck) return false;
    this.long = this.text().length > max;
    this.nextCheck = this.length * 2;
    return this.long;
  }

  /** No spaces ending a line, at most one blank line in a row, none at either end. */
  text(): string {
    return this.parts
      .join('')
      .split('\n')
      .map((line) => line.replace(/[ \t]+$/, ''))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
}

export interface HtmlText {
  title: string | null;
  /** At most the `maxChars` asked for. */
  text: string;
  /** Whether the page holds more than `text`: it was longer, or nested too deep to read to the end. */
  truncated: boolean;
}

/**
 * The page's title and text. Parsing stops as soon as the text is longer than `maxChars` (or the page nests
 * deeper than MAX_DEPTH): the rest of a huge page is never looked at.
 */
export function htmlToText(html: string, maxChars = Infinity): HtmlText {
  const out = new TextOutput();
  let title = '';
  let skipped = 0;
  let pre = 0;
  let inTitle = false;
  let foreign = 0;
  let cellsInRow = 0;
  /** Elements open now, as the parser counts them (every open, void ones included, is matched by a close). */
  let depth = 0;
  let stopped = false;
  const stopIf = (enough: boolean) => {
    if (!enough || stopped) return;
    stopped = true;
    parser.pause();
  };
  const parser: Parser = new Parser(
    {
      onopentagname() {
        depth += 1;
        stopIf(depth > MAX_DEPTH);
      },
      onopentag(name) {
        if (stopped) return;
        if (FOREIGN.has(name)) foreign += 1;
        // The first title outside an svg or math element is the page's.
        if (name === 'title' && foreign === 0 && title === '') inTitle = true;
        if (SKIPPED.has(name)) skipped += 1;
        if (skipped > 0) return;
        if (BLOCKS.has(name)) out.breakLine(PARAGRAPHS.has(name) ? 2 : 1);
        if (/^h[1-6]$/.test(name)) out.write(`${'#'.repeat(Number(name[1]))} `);
        else if (name === 'li') out.write('- ');
        else if (name === 'br') out.write('\n');
        else if (name === 'hr') {
          out.breakLine(2);
          out.write('---');
          out.breakLine(2);
        }
        else if (name === 'tr') cellsInRow = 0;
        else if ((name === 'td' || name === 'th') && cellsInRow++ > 0) out.write(' | ');
        if (name === 'pre') pre += 1;
      },
      ontext(text) {
        if (stopped) return;
        if (inTitle && title.length < MAX_TITLE_CHARS * 2) title += text;
        if (skipped > 0) return;
        if (pre > 0) out.write(text);
        else {
          const collapsed = text.replace(/\s+/g, ' ');
          out.write(out.last === '' || out.last === '\n' || out.last === ' ' ? collapsed.replace(/^ /, '') : collapsed);
        }
        stopIf(out.longerThan(maxChars));
      },
      onclosetag(name) {
        depth = Math.max(0, depth - 1);
        if (stopped) return;
        if (FOREIGN.has(name)) foreign = Math.max(0, foreign - 1);
        if (name === 'title') inTitle = false;
        if (SKIPPED.has(name)) skipped = Math.max(0, skipped - 1);
        if (skipped > 0) return;
        if (name === 'pre') pre = Math.max(0, pre - 1);
        if (BLOCKS.has(name)) out.breakLine(PARAGRAPHS.has(name) ? 2 : 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  for (let at = 0; at < html.length && !stopped; at += WRITE_CHARS) parser.write(html.slice(at, at + WRITE_CHARS));
  if (!stopped) parser.end();
  const text = out.text();
  const cleanTitle = title.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE_CHARS).trimEnd();
  return { title: cleanTitle || null, text: text.length > maxChars ? text.slice(0, maxChars) : text, truncated: stopped || text.length > maxChars };
}
