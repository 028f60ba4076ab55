// The environment commands run with, from `[shell_environment_policy]`: start from
// all, a core set or nothing; drop secrets by default (*KEY*, *SECRET*, *TOKEN*, *PASSWORD*, *CREDENTIAL*,
// and the ssh-agent socket, which signs as the user); apply excludes, then `set`, then `include_only`.

export interface ShellEnvironmentPolicy {
  inherit: 'all' | 'core' | 'none';
  ignoreDefaultExcludes: boolean;
  exclude: string[];
  set: Record<string, string>;
  includeOnly: string[];
}

export const DEFAULT_ENVIRONMENT_POLICY: ShellEnvironmentPolicy = { inherit: 'all', ignoreDefaultExcludes: false, exclude: [], set: {}, includeOnly: [] };

const CORE_VARIABLES = ['PATH', 'SHELL', 'TMPDIR', 'TEMP', 'TMP', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'LOGNAME', 'USER'];
const DEFAULT_EXCLUDES = ['*KEY*', '*SECRET*', '*TOKEN*', '*PASSWORD*', '*CREDENTIAL*', 'SSH_AUTH_SOCK'];

/** Compiled patterns: every command's environment is filtered, each variable against each pattern. */
const patterns = new Map<string, RegExp>();
const MAX_PATTERNS = 256;

/** Case-insensitive `*` wildcard match of a variable name. */
export function matchesPattern(name: string, pattern: string): boolean {
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    patterns.set(pattern, regex);
  }
  return regex.test(name);
}

export function policyFromConfig(table: unknown): ShellEnvironmentPolicy {
  const t = (typeof table === 'object' && table !== null ? table : {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const inherit = t.inherit === 'core' || t.inherit === 'none' ? t.inherit : 'all';
  const set: Record<string, string> = {};
  if (typeof t.set === 'object' && t.set !== null) for (const [k, v] of Object.entries(t.set)) set[k] = String(v);
  return { inherit, ignoreDefaultExcludes: t.ignore_default_excludes === true, exclude: strings(t.exclude), set, includeOnly: strings(t.include_only) };
}

export function buildEnvironment(policy: ShellEnvironmentPolicy, base: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (policy.inherit === 'none') continue;
    if (policy.inherit === 'core' && !CORE_VARIABLES.includes(name)) continue;
    env[name] = value;
  }
  const excludes = [...(policy.ignoreDefaultExcludes ? [] : DEFAULT_EXCLUDES), ...policy.exclude];
  for (const name of Object.keys(env)) if (excludes.some((p) => matchesPattern(name, p))) delete env[name];
  Object.assign(env, policy.set);
  if (policy.includeOnly.length > 0) {
    for (const name of Object.keys(env)) if (!policy.includeOnly.some((p) => matchesPattern(name, p))) delete env[name];
  }
  return { ...env, ...extra };
}

/**
 * The environment of a command a thread runs (the model's or the user's own): the policy's variables, then
 * no colours and no pager (output is read, not watched), and the thread's id.
 */
export function threadCommandEnvironment(policy: ShellEnvironmentPolicy, threadId: string, options: { tty?: boolean; sandboxed?: boolean } = {}): Record<string, string> {
  return buildEnvironment(policy, process.env, {
    NO_COLOR: '1',
    TERM: options.tty ? 'xterm-256color' : 'dumb',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GH_PAGER: 'cat',
    TANDEM_THREAD_ID: threadId,
    ...(options.sandboxed ? { TANDEM_SANDBOX: '1' } : {}),
  });
}
