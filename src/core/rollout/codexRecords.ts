// Rollouts codex wrote (a CODEX_HOME shared with codex) carry the same line kinds as Tandem's but other
// payload shapes: core-shaped items, turn ends without a status, token counts in snake_case, sandbox
// policies in kebab-case, no model in the session meta. Reading turns each line into the shape Tandem
// records, so reconstruction and listing have one format to know. Lines already in Tandem's shape pass
// through untouched; kinds neither knows are left for the readers to skip.
import type { CodexErrorInfo, SandboxPolicy, ThreadTokenUsage, TokenUsageBreakdown, TurnError } from '../../protocol';
import { camel, fromCodexItem, isCodexCoreItem } from './codexItems';
import type { RolloutLine } from './recorder';

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

export function normalizeCodexLines(lines: readonly RolloutLine[]): RolloutLine[] {
  const out: RolloutLine[] = [];
  for (const line of lines) {
    const normalized = normalizeLine(line);
    if (normalized) out.push(normalized);
  }
  // codex keeps the model in each turn's context and in the settings it applies, not in the session meta.
  const meta = out[0]?.type === 'session_meta' && isRecord(out[0].payload) ? out[0].payload : undefined;
  if (meta && typeof meta.model !== 'string') {
    const model = out.map(modelOf).find((found) => found !== undefined);
    if (model) out[0] = { ...out[0]!, payload: { ...meta, model } };
  }
  return out;
}

function modelOf(line: RolloutLine): string | undefined {
  const payload = isRecord(line.payload) ? line.payload : {};
  if (line.type === 'turn_context') return typeof payload.model === 'string' ? payload.model : undefined;
  const settings = line.type === 'event_msg' && payload.type === 'thread_settings_applied' && isRecord(payload.thread_settings) ? payload.thread_settings : {};
  return typeof settings.model === 'string' ? settings.model : undefined;
}

function normalizeLine(line: RolloutLine): RolloutLine | undefined {
  const payload = line.payload;
  if (!isRecord(payload)) return line;
  switch (line.type) {
    case 'session_meta':
      return { ...line, payload: sessionMeta(payload) };
    case 'turn_context':
      return { ...line, payload: turnContext(payload) };
    case 'event_msg': {
      const event = eventMsg(payload, line.timestamp);
      return event === payload ? line : event ? { ...line, payload: event } : undefined;
    }
    default:
      return line;
  }
}

function sessionMeta(meta: Raw): Raw {
  return {
    ...meta,
    forked_from_id: typeof meta.forked_from_id === 'string' ? meta.forked_from_id : null,
    reasoning_effort: typeof meta.reasoning_effort === 'string' ? meta.reasoning_effort : null,
    git: isRecord(meta.git) ? meta.git : null,
    source: sessionSource(meta.source),
  };
}

/** codex's core session sources, as the app-server names them. */
function sessionSource(source: unknown): unknown {
  if (source === 'cli' || source === 'vscode' || source === 'exec' || source === 'appServer' || source === 'unknown') return source;
  if (source === 'mcp' || source === 'app_server') return 'appServer';
  if (isRecord(source)) {
    if ('subAgent' in source || 'custom' in source) return source;
    if ('subagent' in source) return { subAgent: source.subagent };
    if ('sub_agent' in source) return { subAgent: source.sub_agent };
  }
  return 'unknown';
}

function turnContext(context: Raw): Raw {
  const out: Raw = { ...context };
  const policy = sandboxPolicy(context.sandbox_policy);
  if (policy) out.sandbox_policy = policy;
  else delete out.sandbox_policy;
  // "on-failure" is the old name of "on-request"; a granular policy is kept, anything else falls back to the
  // configured one.
  const granular = isRecord(context.approval_policy) && isRecord(context.approval_policy.granular);
  if (context.approval_policy === 'on-failure') out.approval_policy = 'on-request';
  else if (typeof context.approval_policy !== 'string' && !granular) delete out.approval_policy;
  if (typeof context.effort !== 'string') {
    const mode = isRecord(context.collaboration_mode) && isRecord(context.collaboration_mode.settings) ? context.collaboration_mode.settings : {};
    out.effort = typeof mode.reasoning_effort === 'string' ? mode.reasoning_effort : null;
  }
  return out;
}

/** codex's core sandbox policy (`{"type":"workspace-write","writable_roots":…}`) as the app-server's. */
function sandboxPolicy(raw: unknown): SandboxPolicy | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  if (!/[-_]/.test(raw.type)) return raw as SandboxPolicy;
  const type = camel(raw.type.replace(/-/g, '_'));
  const network = raw.network_access ?? raw.networkAccess;
  switch (type) {
    case 'dangerFullAccess':
      return { type };
    case 'readOnly':
      return typeof network === 'boolean' ? { type, networkAccess: network } : { type };
    case 'externalSandbox':
      return network === 'restricted' || network === 'enabled' ? { type, networkAccess: network } : { type };
    case 'workspaceWrite': {
      const roots = raw.writable_roots ?? raw.writableRoots;
      const policy: SandboxPolicy = { type };
      if (Array.isArray(roots)) policy.writableRoots = roots.filter((root): root is string => typeof root === 'string');
      if (typeof network === 'boolean') policy.networkAccess = network;
      const tmpdir = raw.exclude_tmpdir_env_var ?? raw.excludeTmpdirEnvVar;
      const slashTmp = raw.exclude_slash_tmp ?? raw.excludeSlashTmp;
      if (typeof tmpdir === 'boolean') policy.excludeTmpdirEnvVar = tmpdir;
      if (typeof slashTmp === 'boolean') policy.excludeSlashTmp = slashTmp;
      return policy;
    }
    default:
      return undefined;
  }
}

function eventMsg(event: Raw, timestamp: string): Raw | undefined {
  switch (event.type) {
    case 'item_started':
    case 'item_completed': {
      if (!isCodexCoreItem(event.item)) return event;
      const item = fromCodexItem(event.item);
      return item ? { ...event, item } : undefined;
    }
    case 'task_complete': {
      if (typeof event.status === 'string') return event;
      const error = turnError(event.error);
      return { ...event, status: error ? 'failed' : 'completed', error, ...turnTimes(event, timestamp) };
    }
    // codex ends an interrupted turn with this instead of task_complete.
    case 'turn_aborted':
      if (typeof event.turn_id !== 'string') return undefined;
      return { type: 'task_complete', turn_id: event.turn_id, status: 'interrupted', error: null, ...turnTimes(event, timestamp) };
    case 'token_count': {
      const info = event.info;
      if (!isRecord(info) || isRecord(info.total)) return isRecord(info) ? event : undefined;
      const usage: ThreadTokenUsage = {
        total: breakdown(info.total_token_usage),
        last: breakdown(info.last_token_usage),
        modelContextWindow: typeof info.model_context_window === 'number' ? info.model_context_window : null,
      };
      return { ...event, info: usage };
    }
    default:
      return event;
  }
}

function turnTimes(event: Raw, timestamp: string): { completed_at: number | null; duration_ms: number | null } {
  const at = Date.parse(timestamp);
  return {
    completed_at: typeof event.completed_at === 'number' ? event.completed_at : Number.isNaN(at) ? null : Math.floor(at / 1000),
    duration_ms: typeof event.duration_ms === 'number' ? event.duration_ms : null,
  };
}

function breakdown(raw: unknown): TokenUsageBreakdown {
  const usage = isRecord(raw) ? raw : {};
  const n = (key: string) => (typeof usage[key] === 'number' ? (usage[key] as number) : 0);
  return { totalTokens: n('total_tokens'), inputTokens: n('input_tokens'), cachedInputTokens: n('cached_input_tokens'), outputTokens: n('output_tokens'), reasoningOutputTokens: n('reasoning_output_tokens') };
}

const ERROR_KINDS = new Set(['contextWindowExceeded', 'sessionBudgetExceeded', 'usageLimitExceeded', 'rateLimitExceeded', 'serverOverloaded', 'modelNotFound', 'cyberPolicy', 'internalServerError', 'unauthorized', 'badRequest', 'sandboxError', 'other']);
const HTTP_ERROR_KINDS = new Set(['httpConnectionFailed', 'responseStreamConnectionFailed', 'responseStreamDisconnected', 'responseTooManyFailedAttempts']);

function turnError(raw: unknown): TurnError | null {
  if (!isRecord(raw)) return null;
  const details = raw.additional_details ?? raw.additionalDetails;
  return {
    message: typeof raw.message === 'string' ? raw.message : 'the turn failed',
    codexErrorInfo: errorInfo(raw.codex_error_info ?? raw.codexErrorInfo),
    additionalDetails: typeof details === 'string' ? details : null,
  };
}

function errorInfo(raw: unknown): CodexErrorInfo | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string') {
    const kind = camel(raw);
    return ERROR_KINDS.has(kind) ? (kind as CodexErrorInfo) : 'other';
  }
  if (!isRecord(raw)) return 'other';
  const [key, value] = Object.entries(raw)[0] ?? [];
  const kind = key ? camel(key) : '';
  const inner = isRecord(value) ? value : {};
  if (HTTP_ERROR_KINDS.has(kind)) {
    const status = inner.http_status_code ?? inner.httpStatusCode;
    return { [kind]: { httpStatusCode: typeof status === 'number' ? status : null } } as CodexErrorInfo;
  }
  const turnKind = inner.turn_kind ?? inner.turnKind;
  if (kind === 'activeTurnNotSteerable' && (turnKind === 'review' || turnKind === 'compact')) return { activeTurnNotSteerable: { turnKind } };
  return 'other';
}
