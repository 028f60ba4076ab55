// Model providers: the built-ins and user tables `[model_providers.<id>]`.

export interface ModelProviderInfo {
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly envKey: string | undefined;
  readonly envKeyInstructions: string | undefined;
  readonly httpHeaders: Readonly<Record<string, string>>;
  readonly envHttpHeaders: Readonly<Record<string, string>>;
  readonly queryParams: Readonly<Record<string, string>>;
  readonly requestMaxRetries: number;
  readonly streamMaxRetries: number;
  readonly streamIdleTimeoutMs: number;
  readonly requiresOpenaiAuth: boolean;
}

export const DEFAULT_REQUEST_MAX_RETRIES = 4;
export const DEFAULT_STREAM_MAX_RETRIES = 5;
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;
/** Retry counts are capped so a typo cannot make a turn retry for hours. */
export const MAX_RETRIES_CAP = 100;

export const OPENAI_API_BASE_URL = 'https://api.openai.com/v1';
export const CHATGPT_BACKEND_BASE_URL = 'https://chatgpt.com/backend-api/codex';

function builtin(id: string, name: string, baseUrl: string, extra: Partial<ModelProviderInfo> = {}): ModelProviderInfo {
  return {
    id,
    name,
    baseUrl,
    envKey: undefined,
    envKeyInstructions: undefined,
    httpHeaders: {},
    envHttpHeaders: {},
    queryParams: {},
    requestMaxRetries: DEFAULT_REQUEST_MAX_RETRIES,
    streamMaxRetries: DEFAULT_STREAM_MAX_RETRIES,
    streamIdleTimeoutMs: DEFAULT_STREAM_IDLE_TIMEOUT_MS,
    requiresOpenaiAuth: false,
    ...extra,
  };
}

export const BUILTIN_PROVIDERS: Readonly<Record<string, ModelProviderInfo>> = {
  openai: builtin('openai', 'OpenAI', OPENAI_API_BASE_URL, {
    envKey: 'OPENAI_API_KEY',
    envKeyInstructions: 'Sign in with Tandem: Sign In with API Key, or set OPENAI_API_KEY.',
    envHttpHeaders: { 'OpenAI-Organization': 'OPENAI_ORGANIZATION', 'OpenAI-Project': 'OPENAI_PROJECT' },
    requiresOpenaiAuth: true,
  }),
  ollama: builtin('ollama', 'Ollama', 'http://localhost:11434/v1'),
  lmstudio: builtin('lmstudio', 'LM Studio', 'http://localhost:1234/v1'),
};

/** Turns a user table into provider info; throws with the field name when a value has the wrong type. */
export function providerFromTable(id: string, table: Record<string, unknown>): ModelProviderInfo {
  const str = (key: string): string | undefined => {
    const value = table[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new Error(`model_providers.${id}.${key} must be a string`);
    return value;
  };
  const record = (key: string): Record<string, string> => {
    const value = table[key];
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`model_providers.${id}.${key} must be a table`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) out[k] = String(v);
    return out;
  };
  const int = (key: string, fallback: number, cap?: number): number => {
    const value = table[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new Error(`model_providers.${id}.${key} must be a non-negative integer`);
    }
    return cap === undefined ? value : Math.min(value, cap);
  };
  const baseUrl = str('base_url');
  if (!baseUrl) throw new Error(`model_providers.${id}.base_url is required`);
  const requires = table.requires_openai_auth;
  if (requires !== undefined && typeof requires !== 'boolean') throw new Error(`model_providers.${id}.requires_openai_auth must be a boolean`);
  return {
    id,
    name: str('name') ?? id,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    envKey: str('env_key'),
    envKeyInstructions: str('env_key_instructions'),
    httpHeaders: record('http_headers'),
    envHttpHeaders: record('env_http_headers'),
    queryParams: record('query_params'),
    requestMaxRetries: int('request_max_retries', DEFAULT_REQUEST_MAX_RETRIES, MAX_RETRIES_CAP),
    streamMaxRetries: int('stream_max_retries', DEFAULT_STREAM_MAX_RETRIES, MAX_RETRIES_CAP),
    streamIdleTimeoutMs: int('stream_idle_timeout_ms', DEFAULT_STREAM_IDLE_TIMEOUT_MS),
    requiresOpenaiAuth: requires ?? false,
  };
}

/** Built-ins win over user tables of the same id (define a new id instead), as in Codex. */
export function resolveProvider(id: string, userTables: Record<string, unknown> | undefined): ModelProviderInfo {
  const builtinProvider = BUILTIN_PROVIDERS[id];
  if (builtinProvider) return builtinProvider;
  const table = userTables?.[id];
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    const known = [...Object.keys(BUILTIN_PROVIDERS), ...Object.keys(userTables ?? {})].join(', ');
    throw new Error(`unknown model provider "${id}" (known: ${known})`);
  }
  return providerFromTable(id, table as Record<string, unknown>);
}

export function responsesUrl(provider: ModelProviderInfo, baseUrlOverride?: string): string {
  const url = new URL(`${(baseUrlOverride ?? provider.baseUrl).replace(/\/+$/, '')}/responses`);
  for (const [key, value] of Object.entries(provider.queryParams)) url.searchParams.set(key, value);
  return url.toString();
}
