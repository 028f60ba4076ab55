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

export function htmlToText(html: string): { title: string | null; text: string } {
  let out = '';
  let title = '';
  let skipped = 0;
  let pre = 0;
  let inTitle = false;
  let foreign = 0;
  let cellsInRow = 0;
  const breakLine = (lines: number) => {
    if (out === '') return;
    const trailing = /\n*$/.exec(out)![0].length;
    out = out.replace(/[ \t]+$/, '');
    if (trailing < lines) out += '\n'.repeat(lines - trailing);
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (FOREIGN.has(name)) foreign += 1;
        // The first title outside an svg or math element is the page's.
        if (name === 'title' && foreign === 0 && title === '') inTitle = true;
        if (SKIPPED.has(name)) skipped += 1;
        if (skipped > 0) return;
        if (BLOCKS.has(name)) breakLine(PARAGRAPHS.has(name) ? 2 : 1);
        if (/^h[1-6]$/.test(name)) out += `${'#'.repeat(Number(name[1]))} `;
        else if (name === 'li') out += '- ';
        else if (name === 'br') out += '\n';
        else if (name === 'hr') {
          breakLine(2);
          out += '---';
          breakLine(2);
        }
        else if (name === 'tr') cellsInRow = 0;
        else if ((name === 'td' || name === 'th') && cellsInRow++ > 0) out += ' | ';
        if (name === 'pre') pre += 1;
      },
      ontext(text) {
        if (inTitle) title += text;
        if (skipped > 0) return;
        if (pre > 0) {
          out += text;
          return;
        }
        const collapsed = text.replace(/\s+/g, ' ');
        out += /(^|[\n ])$/.test(out) ? collapsed.replace(/^ /, '') : collapsed;
      },
      onclosetag(name) {
        if (FOREIGN.has(name)) foreign = Math.max(0, foreign - 1);
        if (name === 'title') inTitle = false;
        if (SKIPPED.has(name)) skipped = Math.max(0, skipped - 1);
        if (skipped > 0) return;
        if (name === 'pre') pre = Math.max(0, pre - 1);
        if (BLOCKS.has(name)) breakLine(PARAGRAPHS.has(name) ? 2 : 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  const text = out
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const cleanTitle = title.replace(/\s+/g, ' ').trim();
  return { title: cleanTitle || null, text };
}
