// The rules of one ignore file (.gitignore syntax), matched as ripgrep matches them: the last matching rule
// wins, `!` re-includes, a trailing `/` matches directories only, a pattern without an inner `/` matches a
// name at any depth and one with a `/` is anchored to the file's directory. Case-sensitive.

/** An ignore file's verdict on a path: ignored, re-included (`!pattern`), or no rule matched. */
export type IgnoreVerdict = 'ignore' | 'include' | undefined;

interface Rule {
  regex: RegExp;
  include: boolean;
  dirOnly: boolean;
  /** Matched against the entry's name alone (a pattern with no `/` but a trailing one). */
  byName: boolean;
}

export class IgnoreRules {
  private readonly rules: Rule[] = [];
  /** A quick "does any rule match" per kind of entry, so most entries cost one test per kind of rule. */
  private readonly any: Record<'file' | 'dir', { byName?: RegExp; byPath?: RegExp }>;

  /** `source`: the ignore file's text (kept to hand the rules to a walk on another thread). */
  constructor(readonly source: string) {
    for (const line of source.split(/\r?\n/)) {
      const rule = parseLine(line);
      if (rule) this.rules.push(rule);
    }
    const combine = (rules: Rule[]) => (rules.length === 0 ? undefined : new RegExp(rules.map((r) => r.regex.source).join('|')));
    const kind = (dir: boolean) => {
      const applies = this.rules.filter((r) => dir || !r.dirOnly);
      return { byName: combine(applies.filter((r) => r.byName)), byPath: combine(applies.filter((r) => !r.byName)) };
    };
    this.any = { file: kind(false), dir: kind(true) };
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Whether any rule can match a file (not only directories, as `node_modules/` does). */
  get matchesFiles(): boolean {
    return this.rules.some((rule) => !rule.dirOnly);
  }

  /** `relPath` is relative to the ignore file's directory, `/`-separated; `name` is its last segment. */
  match(relPath: string, name: string, isDir: boolean): IgnoreVerdict {
    const any = this.any[isDir ? 'dir' : 'file'];
    if (!any.byName?.test(name) && !any.byPath?.test(relPath)) return undefined;
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i]!;
      if (rule.dirOnly && !isDir) continue;
      if (rule.regex.test(rule.byName ? name : relPath)) return rule.include ? 'include' : 'ignore';
    }
    return undefined;
  }
}

function parseLine(raw: string): Rule | undefined {
  let line = trimTrailingSpaces(raw);
  if (line === '' || line.startsWith('#')) return undefined;
  let include = false;
  if (line.startsWith('!')) {
    include = true;
    line = line.slice(1);
  } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
  }
  let anchored = false;
  if (line.startsWith('/')) {
    anchored = true;
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith('/') && !line.endsWith('\\/')) {
    dirOnly = true;
    line = line.slice(0, -1);
  }
  if (line === '') return undefined;
  const byName = !anchored && !line.includes('/');
  const source = globToRegex(line);
  if (source === undefined) return undefined;
  try {
    return { regex: new RegExp(`^(?:${source})$`), include, dirOnly, byName };
  } catch {
    // A pattern ripgrep would reject too (say, the range `[z-a]`): skipped, as it skips it.
    return undefined;
  }
}

/** Trailing spaces are dropped unless escaped with a backslash. */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && line[end - 2] !== '\\') end--;
  return line.slice(0, end);
}

/** A glob over `/`-separated paths as regex source; undefined for a pattern that cannot be parsed. */
function globToRegex(glob: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          if (i + 2 === glob.length) {
            // `x/**`: everything inside x (at least one more segment); `**` alone: everything.
            out += i === 0 ? '.*' : '.+';
          } else {
            // `**/` at the start or in the middle: zero or more directories.
            out += '(?:.*/)?';
            i += 1;
          }
          i += 2;
          continue;
        }
        // `**` inside a segment is an ordinary `*`.
        i += 1;
      }
      out += '[^/]*';
      i += 1;
    } else if (ch === '?') {
      out += '[^/]';
      i += 1;
    } else if (ch === '[') {
      const cls = parseClass(glob, i);
      if (!cls) {
        out += '\\[';
        i += 1;
      } else {
        out += cls.source;
        i = cls.end;
      }
    } else if (ch === '\\') {
      if (i + 1 >= glob.length) return undefined;
      out += escapeChar(glob[i + 1]!);
      i += 2;
    } else {
      out += escapeChar(ch);
      i += 1;
    }
  }
  return out;
}

/** A bracket expression starting at `start` (`[abc]`, `[a-z]`, `[!x]`, `[^x]`); it never matches `/`. */
function parseClass(glob: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negated = true;
    i += 1;
  }
  let body = '';
  let first = true;
  while (i < glob.length) {
    let ch = glob[i]!;
    if (ch === ']' && !first) return { source: negated ? `[^/${body}]` : `(?!/)[${body}]`, end: i + 1 };
    const escaped = ch === '\\' && i + 1 < glob.length;
    if (escaped) {
      i += 1;
      ch = glob[i]!;
    }
    // An unescaped `-` between two characters is a range.
    body += ch === '-' && !escaped && !first && glob[i + 1] !== ']' ? '-' : escapeClassChar(ch);
    first = false;
    i += 1;
  }
  return undefined;
}

function escapeChar(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function escapeClassChar(ch: string): string {
  return /[\\\]^-]/.test(ch) ? `\\${ch}` : ch;
}
