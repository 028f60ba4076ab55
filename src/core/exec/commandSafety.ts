// Which commands are known to be read-only, and what a command does for display
// (`commandActions`). A script is only judged when it is plain words joined by && || ; | — anything with
// substitution, redirection or subshells is "complex" and never known-safe.
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

const ALWAYS_SAFE = new Set(['cat', 'cd', 'cut', 'echo', 'expr', 'false', 'grep', 'head', 'id', 'ls', 'nl', 'paste', 'pwd', 'rev', 'seq', 'stat', 'tail', 'tr', 'true', 'uname', 'uniq', 'wc', 'which', 'whoami', 'numfmt', 'tac']);
const FIND_UNSAFE = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fls', '-fprint', '-fprint0', '-fprintf']);
const RG_UNSAFE = new Set(['--pre', '--hostname-bin', '--search-zip', '-z']);
const GIT_UNSAFE_OPTIONS = ['--output', '--ext-diff', '--textconv', '--exec', '--paginate'];
const GIT_UNSAFE_GLOBAL = ['-c', '--config-env', '--exec-path', '--git-dir', '--namespace', '--super-prefix', '--work-tree'];
const GIT_BRANCH_SAFE = new Set(['--list', '-l', '--show-current', '-a', '--all', '-r', '--remotes', '-v', '-vv', '--verbose']);

export function isSafeArgv(argv: readonly string[]): boolean {
  const [command, ...args] = argv;
  if (!command) return false;
  if (ALWAYS_SAFE.has(command)) return true;
  switch (command) {
    case 'base64':
      return !args.some((a) => a === '-o' || a.startsWith('--output'));
    case 'find':
      return !args.some((a) => FIND_UNSAFE.has(a));
    case 'rg':
      return !args.some((a) => RG_UNSAFE.has(a) || a.startsWith('--pre='));
    case 'sed':
      return args.length <= 3 && args[0] === '-n' && /^\d+(,\d+)?p$/.test(args[1] ?? '');
    case 'git': {
      if (args.some((a) => GIT_UNSAFE_GLOBAL.some((g) => a === g || a.startsWith(`${g}=`)))) return false;
      const [sub, ...rest] = args;
      if (rest.some((a) => GIT_UNSAFE_OPTIONS.some((o) => a === o || a.startsWith(`${o}=`)))) return false;
      if (sub === 'status' || sub === 'log' || sub === 'diff' || sub === 'show') return true;
      if (sub === 'branch') return rest.every((a) => GIT_BRANCH_SAFE.has(a) || a.startsWith('--format='));
      return false;
    }
    default:
      return false;
  }
}

/** A script every segment of which is a known read-only command. */
export function isKnownSafeScript(script: string): boolean {
  const segments = splitSegments(script.trim());
  return segments !== undefined && segments.every(isSafeArgv);
}

export function commandActions(script: string): CommandAction[] {
  const segments = splitSegments(script.trim());
  if (!segments) return [{ type: 'unknown', command: script }];
  return segments.map((argv) => {
    const command = argv.join(' ');
    const [name, ...args] = argv;
    const paths = args.filter((a) => !a.startsWith('-'));
    if (name === 'cat' || name === 'head' || name === 'tail' || (name === 'sed' && args[0] === '-n')) {
      const file = paths[paths.length - 1];
      if (file) return { type: 'read', command, name: file.split('/').pop() ?? file, path: file };
    }
    if (name === 'ls' || name === 'find' || (name === 'rg' && args.includes('--files'))) return { type: 'listFiles', command, path: paths[0] ?? null };
    if (name === 'rg' || name === 'grep') return { type: 'search', command, query: paths[0] ?? null, path: paths[1] ?? null };
    return { type: 'unknown', command };
  });
}
