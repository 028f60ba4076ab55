// Type checks for the keys Tandem reads. A bad value is reported (with its place in the file) and left out,
// so the rest of the file still applies; unknown keys are kept and reported once.
import { providerFromTable } from '../model/provider';
import type { ConfigTable } from './load';

export interface ValueProblem {
  keyPath: string;
  message: string;
}

const ENUMS: Record<string, readonly string[]> = {
  approval_policy: ['untrusted', 'on-request', 'on-failure', 'never'],
  sandbox_mode: ['read-only', 'workspace-write', 'danger-full-access'],
  model_reasoning_summary: ['auto', 'concise', 'detailed', 'none'],
  model_reasoning_effort: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'],
  forced_login_method: ['chatgpt', 'api'],
};
const STRINGS = ['model', 'model_provider', 'developer_instructions', 'profile', 'forced_chatgpt_workspace_id', 'compact_prompt'];
const POSITIVE_INTS = ['model_context_window', 'model_auto_compact_token_limit'];
const KNOWN_TOP_LEVEL = new Set([
  ...Object.keys(ENUMS),
  ...STRINGS,
  ...POSITIVE_INTS,
  'thread_idle_unload_minutes',
  'project_doc_max_bytes',
  'sandbox_workspace_write',
  'model_providers',
  'profiles',
  'shell_environment_policy',
  'chatgpt_auth',
]);

const describe = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'a table' : String(value));

/** Checks one value at a dotted key; returns the problem, or undefined when it is fine or unknown. */
export function checkValue(keyPath: string, value: unknown): string | undefined {
  const leaf = keyPath.replace(/^profiles\.[^.]+\./, '');
  if (ENUMS[leaf]) {
    return typeof value === 'string' && ENUMS[leaf]!.includes(value) ? undefined : `${leaf} must be one of ${ENUMS[leaf]!.filter((v) => v !== 'on-failure').join(', ')}; got ${describe(value)}`;
  }
  if (STRINGS.includes(leaf)) return typeof value === 'string' ? undefined : `${leaf} must be a string; got ${describe(value)}`;
  if (leaf === 'thread_idle_unload_minutes') return typeof value === 'number' && value > 0 ? undefined : `thread_idle_unload_minutes must be a number of minutes above 0; got ${describe(value)}`;
  if (POSITIVE_INTS.includes(leaf)) return Number.isInteger(value) && (value as number) > 0 ? undefined : `${leaf} must be a whole number of tokens above 0; got ${describe(value)}`;
  if (leaf === 'project_doc_max_bytes') return Number.isInteger(value) && (value as number) >= 0 ? undefined : `project_doc_max_bytes must be a whole number of bytes; got ${describe(value)}`;
  if (leaf.startsWith('sandbox_workspace_write.')) {
    const field = leaf.slice('sandbox_workspace_write.'.length);
    if (field === 'writable_roots') return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : `sandbox_workspace_write.writable_roots must be an array of paths`;
    if (['network_access', 'exclude_tmpdir_env_var', 'exclude_slash_tmp'].includes(field)) return typeof value === 'boolean' ? undefined : `sandbox_workspace_write.${field} must be true or false; got ${describe(value)}`;
  }
  if (leaf === 'shell_environment_policy.inherit') return ['all', 'core', 'none'].includes(value as string) ? undefined : `shell_environment_policy.inherit must be all, core or none; got ${describe(value)}`;
  return undefined;
}

/** Removes bad values from a parsed layer and says where each was; lists unknown top-level keys. */
export function validateLayer(values: ConfigTable): { problems: ValueProblem[]; unknownKeys: string[] } {
  const problems: ValueProblem[] = [];
  const visit = (table: ConfigTable, prefix: string) => {
    for (const [key, value] of Object.entries(table)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (path === 'model_providers' || path === 'profiles') {
        if (typeof value !== 'object' || value === null) {
          problems.push({ keyPath: path, message: `${path} must be a table` });
          delete table[key];
        } else if (path === 'profiles') {
          for (const [name, profile] of Object.entries(value as ConfigTable)) if (typeof profile === 'object' && profile) visit(profile as ConfigTable, `profiles.${name}`);
        } else {
          for (const [id, provider] of Object.entries(value as ConfigTable)) {
            try {
              providerFromTable(id, (provider ?? {}) as Record<string, unknown>);
            } catch (error) {
              problems.push({ keyPath: `model_providers.${id}`, message: (error as Error).message });
              delete (value as ConfigTable)[id];
            }
          }
        }
        continue;
      }
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)) {
        visit(value as ConfigTable, path);
        continue;
      }
      const problem = checkValue(path, value);
      if (problem) {
        problems.push({ keyPath: path, message: problem });
        delete table[key];
      }
    }
  };
  visit(values, '');
  return { problems, unknownKeys: Object.keys(values).filter((key) => !KNOWN_TOP_LEVEL.has(key)) };
}
