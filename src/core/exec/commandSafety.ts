// How a shell script splits into plain commands (for command rules and their prefixes), and what it does
// for display (`commandActions`). A script is only split when it is plain words joined by && || ; | —
// anything with substitution, redirection or subshells is "complex" and stays one command.
import * as path from 'node:path';
import type { CommandAction } from '../../protocol';

/** Splits a simple shell script into argv segments; undefined when it uses syntax this does not model. */
export function splitSegments(script: string): string[][] | undefined {
  const segments: string[][] = [[]];
  let word: string | null = null;
  let i = 0;
  const push = () => {
    if (word !== null) segments[segments.length - 1]!.push(word);
    word = null;
  };
  while (i < script.length) {
    const ch = script[i]!;
    if (ch === "'") {
      const end = script.indexOf("'", i + 1);
      if (end === -1) return undefined;
      word = (word ?? '') + script.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < script.length && script[j] !== '"') {
        if (script[j] === '$' || script[j] === '`') return undefined;
        if (script[j] === '\\' && j + 1 < script.length) j += 1;
        text += script[j];
        j += 1;
      }
      if (j >= script.length) return undefined;
      word = (word ?? '') + text;
      i = j + 1;
      continue;
    }
    if (ch === '\\') {
      if (i + 1 >= script.length) return undefined;
      word = (word ?? '') + script[i + 1];
      i += 2;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      push();
      i += 1;
      continue;
    }
    const two = script.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      push();
      segments.push([]);
      i += 2;
      continue;
    }
    if (ch === ';' || ch === '|') {
      push();
      segments.push([]);
      i += 1;
      continue;
    }
    if ('$`><(){}&\n\r'.includes(ch)) return undefined;
    word = (word ?? '') + ch;
    i += 1;
  }
  push();
  if (segments.some((s) => s.length === 0)) return undefined;
  return segments;
}

/** Commands that only shape another command's output (`ls | head -5`): not actions of their own. */
const FORMATTERS = new Set(['head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'nl']);

/**
 * What a script does, as codex describes it: reads, listings and searches, one per command; `cd` and output
 * formatting left out; and the whole script as one unknown action as soon as any part is something else.
 */
export function commandActions(script: string, cwd?: string): CommandAction[] {
  const segments = splitSegments(script.trim());
  if (!segments) return [{ type: 'unknown', command: script }];
  const meaningful = segments.filter((argv, index) => {
    const operands = argv.slice(1).filter((a) => !a.startsWith('-'));
    if (argv[0] === 'cd') return false;
    return !(index > 0 && FORMATTERS.has(argv[0]!) && operands.length === 0);
  });
  const actions: CommandAction[] = [];
  for (const argv of meaningful.length > 0 ? meaningful : segments) {
    const action = describe(argv, cwd);
    if (action.type === 'unknown') return [{ type: 'unknown', command: script }];
    actions.push(action);
  }
  return actions;
}

function describe(argv: string[], cwd: string | undefined): CommandAction {
  const command = argv.join(' ');
  const [name, ...args] = argv;
  const paths = args.filter((a) => !a.startsWith('-'));
  if (name === 'cat' || name === 'head' || name === 'tail' || (name === 'sed' && args[0] === '-n')) {
    const file = paths[paths.length - 1];
    if (file) return { type: 'read', command, name: file.split('/').pop() ?? file, path: cwd ? path.resolve(cwd, file) : file };
  }
  if (name === 'ls' || name === 'find' || (name === 'rg' && args.includes('--files'))) return { type: 'listFiles', command, path: paths[0] ?? null };
  if (name === 'rg' || name === 'grep') return { type: 'search', command, query: paths[0] ?? null, path: paths[1] ?? null };
  return { type: 'unknown', command };
}
