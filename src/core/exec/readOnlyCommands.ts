// Whether a command can change no file, so a turn need not record the workspace before it runs. Deliberately
// narrow (codex's list of commands known to be safe): a plain script of these programs, with no redirection
// and none of the options that write or run other programs. Anything else may write.
import { splitSegments } from './commandSafety';

const PLAIN = new Set(['cat', 'cd', 'echo', 'false', 'grep', 'head', 'ls', 'nl', 'pwd', 'tail', 'true', 'wc', 'which']);
/** find's actions that write, delete or run something. */
const FIND_ACTS = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fls', '-fprint', '-fprint0', '-fprintf']);
/** ripgrep options that run another program. */
const RG_RUNS = new Set(['--pre', '--hostname-bin', '--search-zip', '-z']);
/** git subcommands that only read. */
const GIT_READS = new Set(['status', 'log', 'diff', 'show', 'blame', 'ls-files', 'rev-parse']);

function segmentCannotWrite(argv: readonly string[]): boolean {
  const [program, ...args] = argv;
  if (program === undefined) return true;
  if (PLAIN.has(program)) return true;
  if (program === 'find') return !args.some((arg) => FIND_ACTS.has(arg));
  if (program === 'rg') return !args.some((arg) => RG_RUNS.has(arg) || arg.startsWith('--pre=') || arg.startsWith('--hostname-bin='));
  // `sed -n 1,20p file`: printing a range, nothing else.
  if (program === 'sed') return args.length >= 2 && args[0] === '-n' && /^\d+(,\d+)?p$/.test(args[1]!) && args.slice(2).every((arg) => !arg.startsWith('-'));
  if (program === 'git') {
    const sub = args.find((arg) => !arg.startsWith('-'));
    // Options before the subcommand (-C, -c) can point git elsewhere or run programs: not read-only.
    return sub !== undefined && args[0] === sub && GIT_READS.has(sub) && !args.some((arg) => arg === '--output' || arg.startsWith('--output=') || arg === '--ext-diff');
  }
  return false;
}

export function commandCannotWrite(script: string): boolean {
  const segments = splitSegments(script.trim());
  return segments !== undefined && segments.length > 0 && segments.every(segmentCannotWrite);
}
