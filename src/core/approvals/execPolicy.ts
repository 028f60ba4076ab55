// Command rules the user keeps in `<home>/rules/*.rules`, in the format codex writes:
//   prefix_rule(pattern=["git", "pull"], decision="allow")
// A pattern is a list of words a command must start with; an entry may itself be a list of alternatives.
// Answering an approval with "don't ask again for commands that start with …" appends an allow rule to
// `default.rules`. Only `prefix_rule` calls are read; anything else in a file is reported and skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type RuleDecision = 'allow' | 'prompt' | 'forbidden';

export interface PrefixRule {
  pattern: Array<string | string[]>;
  decision: RuleDecision;
  /** Where it came from, for messages: `default.rules:3`. */
  origin: string;
}

/** What the rules say about a whole command: null when they leave it to the approval policy. */
export type RuleVerdict = { decision: 'forbidden'; rule: PrefixRule } | { decision: 'prompt'; rule: PrefixRule } | { decision: 'allow' } | null;

export const DEFAULT_RULES_FILE = 'default.rules';

export class ExecPolicy {
  private constructor(
    private readonly folder: string | null,
    private readonly rules: PrefixRule[],
    /** What could not be read, one line per problem, for the log and the client. */
    readonly problems: string[],
  ) {}

  static empty(): ExecPolicy {
    return new ExecPolicy(null, [], []);
  }

  /** Reads every `*.rules` file under `<home>/rules`; a missing folder means no rules. */
  static load(home: string): ExecPolicy {
    const folder = path.join(home, 'rules');
    const rules: PrefixRule[] = [];
    const problems: string[] = [];
    let names: string[] = [];
    try {
      names = fs.readdirSync(folder).filter((name) => name.endsWith('.rules')).sort();
    } catch {
      // No rules folder: nothing to read.
    }
    for (const name of names) {
      try {
        const parsed = parseRules(fs.readFileSync(path.join(folder, name), 'utf8'), name);
        rules.push(...parsed.rules);
        problems.push(...parsed.problems);
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
      }
    }
    return new ExecPolicy(folder, rules, problems);
  }

  /**
   * The verdict for a command split into its segments (`undefined` when the script is too complex to split).
   * The strictest matching rule wins; a command is allowed only when every segment matches an allow rule.
   */
  evaluate(segments: string[][] | undefined): RuleVerdict {
    if (!segments || segments.length === 0 || this.rules.length === 0) return null;
    let prompt: PrefixRule | undefined;
    let allowed = 0;
    for (const argv of segments) {
      const matching = this.rules.filter((rule) => matches(rule.pattern, argv));
      const forbidden = matching.find((rule) => rule.decision === 'forbidden');
      if (forbidden) return { decision: 'forbidden', rule: forbidden };
      prompt ??= matching.find((rule) => rule.decision === 'prompt');
      if (matching.some((rule) => rule.decision === 'allow')) allowed += 1;
    }
    if (prompt) return { decision: 'prompt', rule: prompt };
    return allowed === segments.length ? { decision: 'allow' } : null;
  }

  /** Remembers an allow rule now and appends it to `default.rules`, flushed before this resolves. */
  async allowPrefix(prefix: string[]): Promise<void> {
    const line = renderRule(prefix, 'allow');
    this.rules.push({ pattern: [...prefix], decision: 'allow', origin: DEFAULT_RULES_FILE });
    if (!this.folder) return;
    await fs.promises.mkdir(this.folder, { recursive: true });
    const handle = await fs.promises.open(path.join(this.folder, DEFAULT_RULES_FILE), 'a', 0o600);
    try {
      await handle.appendFile(`${line}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

function matches(pattern: Array<string | string[]>, argv: string[]): boolean {
  if (pattern.length === 0 || argv.length < pattern.length) return false;
  return pattern.every((entry, index) => (Array.isArray(entry) ? entry.includes(argv[index]!) : entry === argv[index]));
}

export function renderRule(prefix: string[], decision: RuleDecision): string {
  return `prefix_rule(pattern=[${prefix.map((word) => JSON.stringify(word)).join(', ')}], decision="${decision}")`;
}

/** Reads the `prefix_rule(...)` calls of a rules file. */
export function parseRules(text: string, origin: string): { rules: PrefixRule[]; problems: string[] } {
  const rules: PrefixRule[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  let index = 0;
  while (index < lines.length) {
    const line = index + 1;
    const trimmed = lines[index]!.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      index += 1;
      continue;
    }
    // A call may span lines: gather up to its closing parenthesis.
    let call = trimmed;
    while (!balanced(call) && index + 1 < lines.length) call += ' ' + lines[++index]!.trim();
    index += 1;
    try {
      rules.push({ ...parsePrefixRule(call), origin: `${origin}:${line}` });
    } catch (error) {
      problems.push(`${origin}:${line}: ${(error as Error).message}`);
    }
  }
  return { rules, problems };
}

function balanced(text: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth += 1;
    else if (ch === ')' || ch === ']') depth -= 1;
  }
  return depth <= 0 && quote === null;
}

function parsePrefixRule(call: string): { pattern: Array<string | string[]>; decision: RuleDecision } {
  const match = /^prefix_rule\s*\(([\s\S]*)\)\s*$/.exec(call);
  if (!match) throw new Error('only prefix_rule(pattern=[...], decision="...") is understood here');
  const args = match[1]!;
  const start = /\bpattern\s*=\s*\[/.exec(args);
  if (!start) throw new Error('prefix_rule needs pattern=[...]');
  const open = start.index + start[0].length - 1;
  let end = open + 1;
  while (end <= args.length && !balanced(args.slice(open, end))) end += 1;
  const patternText = args.slice(open, end);
  let pattern: unknown;
  try {
    // Starlark string lists are JSON once single quotes are made double (escapes inside are kept).
    pattern = JSON.parse(patternText.replace(/'((?:[^'\\]|\\.)*)'/g, (_m, body: string) => JSON.stringify(body.replace(/\\'/g, "'"))).replace(/,\s*\]/g, ']'));
  } catch {
    throw new Error(`pattern is not a list of strings: ${patternText}`);
  }
  const valid = Array.isArray(pattern) && pattern.length > 0 && pattern.every((entry) => typeof entry === 'string' || (Array.isArray(entry) && entry.length > 0 && entry.every((alt) => typeof alt === 'string')));
  if (!valid) throw new Error(`pattern must be a non-empty list of strings (or lists of alternatives): ${patternText}`);
  const decision = /\bdecision\s*=\s*["'](\w+)["']/.exec(args)?.[1] ?? 'allow';
  if (decision !== 'allow' && decision !== 'prompt' && decision !== 'forbidden') throw new Error(`decision must be allow, prompt or forbidden, not ${decision}`);
  return { pattern: pattern as Array<string | string[]>, decision };
}
