// The part of YAML that skill files use: nested block mappings and sequences whose scalars are plain,
// quoted ('…', "…") or block (| and >, with chomping). Every scalar stays a string (`null`, `~` and an
// empty value read as null); flow collections ([…], {…}) and anchors are read as plain text.
export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

export class YamlError extends Error {}

interface Line {
  indent: number;
  /** The line without its indentation. */
  text: string;
  number: number;
}

const isBlank = (line: Line) => line.text === '' || line.text.startsWith('#');

export function parseYaml(source: string): YamlValue {
  const lines = source.split('\n').map((raw, index) => {
    const text = raw.replace(/\r$/, '');
    const body = text.trimStart();
    return { indent: text.length - body.length, text: body.trimEnd(), number: index + 1 };
  });
  const parser = new Parser(lines);
  const value = parser.block(0);
  parser.expectEnd();
  return value;
}

class Parser {
  private at = 0;

  constructor(private readonly lines: Line[]) {}

  expectEnd(): void {
    this.skipBlank();
    const line = this.lines[this.at];
    if (line) throw new YamlError(`line ${line.number}: unexpected indentation`);
  }

  /** A mapping or sequence starting at the next line indented at least `minIndent`, or null. */
  block(minIndent: number): YamlValue {
    this.skipBlank();
    const line = this.lines[this.at];
    if (!line || line.indent < minIndent) return null;
    return line.text === '-' || line.text.startsWith('- ') ? this.sequence(line.indent) : this.mapping(line.indent);
  }

  private skipBlank(): void {
    while (this.at < this.lines.length && isBlank(this.lines[this.at]!)) this.at++;
  }

  private mapping(indent: number): YamlValue {
    const map: Record<string, YamlValue> = {};
    for (this.skipBlank(); this.at < this.lines.length; this.skipBlank()) {
      const line = this.lines[this.at]!;
      if (line.indent < indent) break;
      if (line.indent > indent) throw new YamlError(`line ${line.number}: unexpected indentation`);
      const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#][^:]*?)\s*:(?:\s+(.*))?$/.exec(line.text);
      if (!match) throw new YamlError(`line ${line.number}: expected a "key: value" pair`);
      this.at++;
      map[unquote(match[1]!)] = this.value(match[2] ?? '', line);
    }
    return map;
  }

  private sequence(indent: number): YamlValue {
    const items: YamlValue[] = [];
    for (this.skipBlank(); this.at < this.lines.length; this.skipBlank()) {
      const line = this.lines[this.at]!;
      if (line.indent !== indent || !(line.text === '-' || line.text.startsWith('- '))) break;
      const rest = line.text.slice(1).trimStart();
      if (/^[^\s#"'][^:]*:(\s|$)/.test(rest)) {
        // `- key: value` opens a mapping whose keys line up after the dash.
        this.lines[this.at] = { ...line, indent: line.indent + line.text.length - rest.length, text: rest };
        items.push(this.mapping(line.indent + line.text.length - rest.length));
      } else {
        this.at++;
        items.push(this.value(rest, line));
      }
    }
    return items;
  }

  /** The value after `key:` (or `- `) on `owner`, reading on into the lines that belong to it. */
  private value(rest: string, owner: Line): YamlValue {
    const text = stripComment(rest);
    if (text === '') {
      const next = this.nextContent();
      const nested = next && (next.indent > owner.indent || (next.indent === owner.indent && next.text.startsWith('- ')));
      return nested ? this.block(next.indent) : null;
    }
    const header = /^([|>])([+-]?)(\d?)([+-]?)$/.exec(text);
    if (header) return this.blockScalar(owner.indent, header[1] === '>', header[2] || header[4] || '', Number(header[3] || 0));
    if (text.startsWith('"') || text.startsWith("'")) return this.quoted(rest.trimEnd(), owner);
    const parts = [text];
    for (let next = this.lines[this.at]; next && (next.text === '' || next.indent > owner.indent); next = this.lines[this.at]) {
      if (next.text.startsWith('#')) break;
      parts.push(stripComment(next.text));
      this.at++;
    }
    const plain = fold(parts).trim();
    return plain === '' || plain === '~' || plain === 'null' ? null : plain;
  }

  private nextContent(): Line | undefined {
    for (let i = this.at; i < this.lines.length; i++) if (!isBlank(this.lines[i]!)) return this.lines[i];
    return undefined;
  }

  private blockScalar(ownerIndent: number, folded: boolean, chomping: string, explicitIndent: number): string {
    const body: string[] = [];
    let indent = explicitIndent ? ownerIndent + explicitIndent : 0;
    for (let line = this.lines[this.at]; line; line = this.lines[this.at]) {
      if (line.text !== '') {
        if (line.indent <= ownerIndent) break;
        if (!indent) indent = line.indent;
        if (line.indent < indent) break;
      }
      body.push(line.text === '' ? '' : ' '.repeat(line.indent - indent) + line.text);
      this.at++;
    }
    let trailing = 0;
    while (body.length > 0 && body[body.length - 1] === '') {
      body.pop();
      trailing++;
    }
    const content = folded ? fold(body) : body.join('\n');
    if (content === '' || chomping === '-') return content;
    return chomping === '+' ? content + '\n'.repeat(trailing + 1) : content + '\n';
  }

  /** A quoted scalar, which may go on over the next lines until its closing quote. */
  private quoted(first: string, owner: Line): string {
    const quote = first[0]!;
    const parts = [first.slice(1)];
    for (;;) {
      const joined = parts.join('\n');
      const end = closingQuote(joined, quote);
      if (end >= 0) {
        const after = joined.slice(end + 1).trim();
        if (after !== '' && !after.startsWith('#')) throw new YamlError(`line ${owner.number}: text after a quoted value`);
        const inner = fold(joined.slice(0, end).split('\n').map((l, i) => (i === 0 ? l : l.trim())));
        return quote === "'" ? inner.replace(/''/g, "'") : unescape(inner);
      }
      const next = this.lines[this.at];
      if (!next) throw new YamlError(`line ${owner.number}: unterminated quoted value`);
      parts.push(next.text);
      this.at++;
    }
  }
}

/** YAML line folding: a single line break becomes a space, each blank line a newline. */
function fold(lines: string[]): string {
  let out = '';
  let pendingBreaks = -1;
  for (const line of lines) {
    if (line === '') {
      pendingBreaks++;
      continue;
    }
    if (pendingBreaks >= 0) out += pendingBreaks === 0 ? ' ' : '\n'.repeat(pendingBreaks);
    out += line;
    pendingBreaks = 0;
  }
  return out;
}

function closingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\', '/': '/', ' ': ' ', e: '\x1b' };

function unescape(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, code: string) =>
    code.length > 1 ? String.fromCodePoint(parseInt(code.slice(1), 16)) : (ESCAPES[code] ?? code),
  );
}

function unquote(key: string): string {
  if (key.startsWith('"')) return unescape(key.slice(1, -1));
  if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/** Drops a ` # comment` from a plain value (a `#` inside a word is text). */
function stripComment(text: string): string {
  if (text.startsWith('#')) return '';
  const at = text.search(/\s#/);
  return (at >= 0 ? text.slice(0, at) : text).trim();
}
