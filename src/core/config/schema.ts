// config.toml's one schema: every key Tandem reads, with its type, its default and a one-line description.
// Loading checks each layer against it, config/read and new threads take their defaults from it, and a
// unit test holds the README's table to it. Tables are loose: keys Tandem does not use are kept.
import { z } from 'zod';
import { lazy, once } from '../../protocol/lazy';
import { APPROVAL_POLICY_NAMES, AskForApproval, ReasoningSummary, SandboxMode } from '../../protocol';
import { DEFAULT_CHATGPT_AUTH } from '../auth/chatgptLogin';
import { DEFAULT_MODEL } from '../model/catalog';
import { BUILTIN_PROVIDERS, DEFAULT_REQUEST_MAX_RETRIES, DEFAULT_STREAM_IDLE_TIMEOUT_MS, DEFAULT_STREAM_MAX_RETRIES } from '../model/provider';
import { DEFAULT_PROJECT_DOC_MAX_BYTES } from '../thread/agentsMd';
import { DEFAULT_CONTEXT_WINDOW } from '../thread/compactionLimits';
import { DEFAULT_MCP_STARTUP_TIMEOUT_SEC, DEFAULT_MCP_TOOL_TIMEOUT_SEC } from './mcpServers';

const DEFAULT_MODEL_PROVIDER = 'openai';

/** What a person is told about a key: in the README, and when its value is wrong. */
export interface KeyDoc {
  /** One line: what the key does. */
  description: string;
  /** Ends "<key> …" when a value is wrong, as in "must be a string". */
  expects: string;
  /** The default in words, when it is not one fixed value. */
  defaultText?: string;
}

/** Each documented key's schema → its doc. A documented key is one row of the README's table. */
export const keyDocs = z.registry<KeyDoc>();

const key = <T extends z.ZodType>(type: T, doc: KeyDoc): T => {
  keyDocs.add(type, doc);
  return type;
};

/** How a table is read beyond its keys' types. */
export interface TableRule {
  /** A bad value anywhere inside drops the whole table, as codex refuses the whole entry; names what it is ("MCP server"). */
  skipsWhole?: string;
  /** Keys codex reads here that Tandem does not: kept, and reported as ignored. Any other unknown key is reported too. */
  codexOnly?: readonly string[];
}

/** Each ruled table's schema → its rule. */
export const tableRules = z.registry<TableRule>();

/** `a`, `b` or `c`. */
const either = (values: readonly string[]): string => {
  const ticked = values.map((v) => `\`${v}\``);
  return ticked.length < 2 ? ticked.join('') : `${ticked.slice(0, -1).join(', ')} or ${ticked[ticked.length - 1]}`;
};

const STRING = 'must be a string';
const BOOLEAN = 'must be true or false';
const STRINGS = 'must be an array of strings';
const oneOf = (options: readonly string[]) => `must be one of ${options.join(', ')}`;

/** The approval policies a person may write (the legacy `on-failure` is read too, as `on-request`). */
export const APPROVAL_POLICIES = APPROVAL_POLICY_NAMES;
const REASONING_EFFORTS = lazy(() => z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', 'ultra']));
const LOGIN_METHODS = lazy(() => z.enum(['chatgpt', 'api']));
const TRUST_LEVELS = lazy(() => z.enum(['trusted', 'untrusted']));
const INHERIT = lazy(() => z.enum(['all', 'core', 'none']));

/** `name = value` pairs sent as text (headers, variables): TOML numbers and booleans are written out. */
const textTable = () => z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const TEXT_TABLE = 'must be a table of strings';

const SandboxWorkspaceWrite = lazy(() => z.looseObject({
  writable_roots: key(z.array(z.string()).default(() => []), { description: 'more folders that `workspace-write` lets commands and patches write', expects: 'must be an array of paths' }),
  network_access: key(z.boolean().default(false), { description: 'let sandboxed commands use the network', expects: BOOLEAN }),
  exclude_tmpdir_env_var: key(z.boolean().default(false), { description: 'keep `$TMPDIR` read-only', expects: BOOLEAN }),
  exclude_slash_tmp: key(z.boolean().default(false), { description: 'keep `/tmp` read-only', expects: BOOLEAN }),
}));

const ShellEnvironmentPolicy = lazy(() => z.looseObject({
  inherit: key(INHERIT.default('all'), { description: `the variables commands start from: ${either(INHERIT.options)}`, expects: oneOf(INHERIT.options) }),
  ignore_default_excludes: key(z.boolean().default(false), {
    description: 'pass `SSH_AUTH_SOCK` and variables matching `*KEY*`, `*SECRET*`, `*TOKEN*`, `*PASSWORD*` or `*CREDENTIAL*` too, which commands do not get otherwise',
    expects: BOOLEAN,
  }),
  exclude: key(z.array(z.string()).default(() => []), { description: 'more variables not to pass; `*` matches anything', expects: STRINGS }),
  set: key(textTable().default(() => ({})), { description: 'variables set for every command', expects: TEXT_TABLE }),
  include_only: key(z.array(z.string()).default(() => []), { description: 'when not empty, pass only the variables matching these', expects: STRINGS }),
}));

const ModelProvider = lazy(() => z.looseObject({
  name: key(z.string().optional(), { description: 'the name shown for the provider', expects: STRING, defaultText: 'its id' }),
  base_url: key(z.string(), { description: 'where its Responses API is (required)', expects: STRING }),
  env_key: key(z.string().optional(), { description: 'the environment variable holding its API key', expects: STRING }),
  env_key_instructions: key(z.string().optional(), { description: 'what to tell someone whose `env_key` is not set', expects: STRING }),
  http_headers: key(textTable().optional(), { description: 'headers sent with every request', expects: TEXT_TABLE }),
  env_http_headers: key(textTable().optional(), { description: 'headers sent with every request, each from the named environment variable', expects: TEXT_TABLE }),
  query_params: key(textTable().optional(), { description: 'query parameters added to every request', expects: TEXT_TABLE }),
  request_max_retries: key(z.number().int().nonnegative().default(DEFAULT_REQUEST_MAX_RETRIES), { description: 'retries of a request that fails', expects: 'must be a non-negative integer' }),
  stream_max_retries: key(z.number().int().nonnegative().default(DEFAULT_STREAM_MAX_RETRIES), { description: 'reconnections of a stream that breaks', expects: 'must be a non-negative integer' }),
  stream_idle_timeout_ms: key(z.number().int().nonnegative().default(DEFAULT_STREAM_IDLE_TIMEOUT_MS), {
    description: 'how long a silent stream is waited on before it is retried',
    expects: 'must be a non-negative integer',
  }),
  requires_openai_auth: key(z.boolean().default(false), { description: 'send the OpenAI sign-in (API key or ChatGPT) to it', expects: BOOLEAN }),
}));

/** A `[projects."<absolute path>"]` table, as codex writes it when a person answers "Trust this folder?". */
const Project = lazy(() => z.looseObject({
  trust_level: key(TRUST_LEVELS.optional(), {
    description: `whether the folder at the absolute path \`<id>\` is trusted: ${either(TRUST_LEVELS.options)} (the codex TUI asks, and reads it from \`config/read\`)`,
    expects: oneOf(TRUST_LEVELS.options),
  }),
}));

const ChatgptAuth = lazy(() => z.looseObject({
  issuer: key(z.string().default(DEFAULT_CHATGPT_AUTH.issuer), { description: 'the ChatGPT sign-in server', expects: STRING }),
  client_id: key(z.string().default(DEFAULT_CHATGPT_AUTH.clientId), { description: 'the OAuth client id Tandem signs in as', expects: STRING }),
  callback_port: key(z.number().int().min(0).max(65535).default(DEFAULT_CHATGPT_AUTH.port), { description: 'the local port the sign-in page returns to', expects: 'must be a port number' }),
  login_timeout_ms: key(z.number().int().positive().default(DEFAULT_CHATGPT_AUTH.loginTimeoutMs), { description: 'how long a ChatGPT sign-in in the browser may take', expects: 'must be a whole number of milliseconds above 0' }),
  device_code_timeout_ms: key(z.number().int().positive().default(DEFAULT_CHATGPT_AUTH.deviceCodeTimeoutMs), { description: 'how long a device-code sign-in waits for the code to be entered', expects: 'must be a whole number of milliseconds above 0' }),
}));

const MCP_APPROVAL_MODES = lazy(() => z.enum(['auto', 'prompt', 'writes', 'approve']));
const MCP_ENV_SOURCES = lazy(() => z.enum(['local', 'remote']));
/** Codex reads MCP headers and variables as strings only (unlike a provider's, where numbers are written out). */
const STRING_TABLE = 'must be a table of strings';
const stringTable = () => z.record(z.string(), z.string());
const SECONDS = 'must be a number of seconds, 0 or more';

/** `[mcp_servers.<name>.tools.<tool>]`. */
const McpTool = lazy(() => z.looseObject({
  approval_mode: key(MCP_APPROVAL_MODES.optional(), {
    description: '`default_tools_approval_mode` for one tool, named by the second `<id>`',
    expects: oneOf(MCP_APPROVAL_MODES.options),
    defaultText: "the server's `default_tools_approval_mode`",
  }),
}));
tableRules.add(McpTool, { codexOnly: ['output_token_limit'] });

const McpOAuth = lazy(() => z.looseObject({
  client_id: key(z.string().optional(), { description: 'the OAuth client id used to sign in to it', expects: STRING }),
}));
tableRules.add(McpOAuth, { codexOnly: ['client_secret', 'token_endpoint_auth_method', 'callback_url', 'callback_port', 'authorization_server_issuer'] });

/**
 * One `[mcp_servers.<name>]` table, as codex 0.169 reads it: a stdio server (`command`) or a streamable HTTP one
 * (`url`). Which keys go with which is checked on the merged config (`mcpServers.ts`): a layer may hold only
 * part of a server, its other keys coming from another layer.
 */
const McpServer = lazy(() => z.looseObject({
  command: key(z.string().optional(), { description: 'the program that starts a stdio MCP server (this or `url` is needed)', expects: STRING }),
  args: key(z.array(z.string()).optional(), { description: 'its arguments', expects: STRINGS, defaultText: '`[]`' }),
  env: key(stringTable().optional(), { description: 'variables set for it, over those it inherits', expects: STRING_TABLE }),
  env_vars: key(z.array(z.union([z.string(), z.strictObject({ name: z.string(), source: MCP_ENV_SOURCES.optional() })])).optional(), {
    description: `more variables passed to it by name, each a name or \`{ name = "…", source = … }\` with source ${either(MCP_ENV_SOURCES.options)}`,
    expects: 'must be an array of variable names or of { name = "…", source = "local" or "remote" } tables',
  }),
  cwd: key(z.string().optional(), { description: 'the folder it starts in', expects: STRING, defaultText: "the thread's folder" }),
  url: key(z.string().optional(), { description: 'the address of a streamable HTTP MCP server (this or `command` is needed)', expects: STRING }),
  bearer_token_env_var: key(z.string().optional(), { description: 'the environment variable holding a bearer token sent to it', expects: STRING }),
  http_headers: key(stringTable().optional(), { description: 'headers sent to it', expects: STRING_TABLE }),
  env_http_headers: key(stringTable().optional(), { description: 'headers sent to it, each from the named environment variable', expects: STRING_TABLE }),
  bearer_token: key(z.unknown().optional(), { description: 'refused, so that no secret sits in config.toml (the server is skipped): name a variable with `bearer_token_env_var` instead', expects: 'must be left out' }),
  enabled: key(z.boolean().default(true), { description: 'whether Tandem starts this server', expects: BOOLEAN }),
  required: key(z.boolean().default(false), { description: "fail a thread's start when this server does not start", expects: BOOLEAN }),
  startup_timeout_sec: key(z.number().nonnegative().optional(), {
    description: 'how long it may take to start and list its tools',
    expects: SECONDS,
    defaultText: `${DEFAULT_MCP_STARTUP_TIMEOUT_SEC} seconds`,
  }),
  startup_timeout_ms: key(z.number().int().nonnegative().optional(), {
    description: 'the same in milliseconds, read only without `startup_timeout_sec` (older configs)',
    expects: 'must be a whole number of milliseconds, 0 or more',
  }),
  tool_timeout_sec: key(z.number().nonnegative().optional(), { description: 'how long one of its tool calls may take', expects: SECONDS, defaultText: `${DEFAULT_MCP_TOOL_TIMEOUT_SEC} seconds` }),
  enabled_tools: key(z.array(z.string()).optional(), { description: 'offer only these of its tools', expects: STRINGS, defaultText: 'all' }),
  disabled_tools: key(z.array(z.string()).optional(), { description: 'never offer these of its tools', expects: STRINGS }),
  default_tools_approval_mode: key(MCP_APPROVAL_MODES.optional(), {
    description: 'when its tools ask before they run: `auto` as each tool\'s annotations say, `prompt` always, `writes` unless the tool says it only reads, `approve` never',
    expects: oneOf(MCP_APPROVAL_MODES.options),
    defaultText: '`auto`',
  }),
  tools: z.record(z.string(), McpTool).optional(),
  supports_parallel_tool_calls: key(z.boolean().default(false), { description: 'let the model call its tools in parallel', expects: BOOLEAN }),
  scopes: key(z.array(z.string()).optional(), { description: 'the OAuth scopes asked for when signing in to it', expects: STRINGS }),
  oauth: McpOAuth.optional(),
  oauth_resource: key(z.string().optional(), { description: 'the OAuth resource asked for when signing in to it', expects: STRING }),
  name: key(z.string().optional(), { description: 'read from older configs, not used', expects: STRING }),
  experimental_environment: key(z.unknown().optional(), { description: 'read from older configs, not used', expects: STRING }),
}));
tableRules.add(McpServer, {
  skipsWhole: 'MCP server',
  codexOnly: ['http_headers_helper', 'auth', 'environment_id', 'startup_readiness', 'tool_input_schema_max_bytes'],
});

/** The keys a profile may set too, in the README's order. */
const settings = once(() => ({
  model: key(z.string().default(DEFAULT_MODEL), { description: 'model id sent to the provider', expects: STRING }),
  model_provider: key(z.string().default(DEFAULT_MODEL_PROVIDER), {
    description: `${either(Object.keys(BUILTIN_PROVIDERS))}, or the id of a \`[model_providers.<id>]\` table`,
    expects: STRING,
  }),
  model_reasoning_effort: key(REASONING_EFFORTS.optional(), {
    description: `reasoning effort, for models that reason: ${either(REASONING_EFFORTS.options)}`,
    expects: oneOf(REASONING_EFFORTS.options),
    defaultText: "the provider's default",
  }),
  model_reasoning_summary: key(ReasoningSummary.default('auto'), {
    description: `reasoning summaries, for models that reason: ${either(ReasoningSummary.options)}`,
    expects: oneOf(ReasoningSummary.options),
  }),
  approval_policy: key(AskForApproval.default('on-request'), {
    description: `when Tandem asks before it acts: ${either(APPROVAL_POLICIES)}, or \`{ granular = { sandbox_approval = …, rules = …, mcp_elicitations = … } }\` (on-request with those questions turned off when false)`,
    expects: `${oneOf(APPROVAL_POLICIES)}, or a { granular = { … } } table`,
  }),
  sandbox_mode: key(SandboxMode.default('workspace-write'), { description: `what commands may change: ${either(SandboxMode.options)}`, expects: oneOf(SandboxMode.options) }),
  // Tandem's own key: codex has no switch that asks for a patch its sandbox would allow.
  review_file_changes: key(z.boolean().optional(), {
    description: 'ask before every patch, even inside the writable roots (the *Review changes* mode in VS Code); no effect under `never`',
    expects: 'must be true or false',
    defaultText: '`false`; `true` in VS Code',
  }),
  sandbox_workspace_write: SandboxWorkspaceWrite.prefault({}),
  developer_instructions: key(z.string().optional(), { description: 'extra developer message for every thread', expects: STRING }),
  project_doc_max_bytes: key(z.number().int().nonnegative().default(DEFAULT_PROJECT_DOC_MAX_BYTES), { description: 'AGENTS.md budget', expects: 'must be a whole number of bytes' }),
  model_context_window: key(z.number().int().positive().optional(), {
    description: "the model's context window in tokens, when Tandem does not know it",
    expects: 'must be a whole number of tokens above 0',
    defaultText: `${DEFAULT_CONTEXT_WINDOW} for unknown models`,
  }),
  model_auto_compact_token_limit: key(z.number().int().positive().optional(), {
    description: 'compact the thread at this many tokens',
    expects: 'must be a whole number of tokens above 0',
    defaultText: '90 % of the context window',
  }),
  compact_prompt: key(z.string().optional(), { description: "replaces Tandem's prompt for summarising a thread when it is compacted", expects: STRING }),
  thread_idle_unload_minutes: key(z.number().positive().default(30), {
    description: 'unload a thread nobody is watching after this many idle minutes; it reloads on demand',
    expects: 'must be a number of minutes above 0',
  }),
  shell_environment_policy: ShellEnvironmentPolicy.prefault({}),
  model_providers: z.record(z.string(), ModelProvider).optional(),
  forced_login_method: key(LOGIN_METHODS.optional(), { description: `allow only this way of signing in: ${either(LOGIN_METHODS.options)}`, expects: oneOf(LOGIN_METHODS.options) }),
  forced_chatgpt_workspace_id: key(z.string().optional(), { description: 'allow only ChatGPT accounts of this workspace', expects: STRING }),
  mcp_oauth_callback_port: key(z.number().int().min(1).max(65535).optional(), {
    description: 'the local port an MCP server\'s OAuth sign-in returns to',
    expects: 'must be a port number',
    defaultText: 'a free port',
  }),
  chatgpt_base_url: key(z.string().optional(), { description: 'the ChatGPT backend that answers usage (rate-limit) reads', expects: STRING, defaultText: '`https://chatgpt.com/backend-api/`' }),
  chatgpt_auth: ChatgptAuth.prefault({}),
}));

/** A profile sets any of the keys above, without defaults of its own: it applies over the files. */
const ProfileSchema = lazy(() => withoutDefaults(z.looseObject(settings())));

/** The effective config: every key with its default filled in. */
export const ConfigSchema = lazy(() => z.looseObject({
  ...settings(),
  profile: key(z.string().optional(), { description: 'the profile applied over the files', expects: STRING }),
  profiles: key(z.record(z.string(), ProfileSchema).optional(), { description: 'named sets of the keys above, each a `[profiles.<name>]` table', expects: 'must be a table' }),
  projects: z.record(z.string(), Project).optional(),
  mcp_servers: z.record(z.string(), McpServer).optional(),
}));
export type Config = z.output<typeof ConfigSchema>;

/** One config file, or the -c flags: any key may be missing. */
export const ConfigLayerSchema = lazy(() => withoutDefaults(ConfigSchema));

/** The same schema with every default taken out (each key then optional); docs stay with their keys. */
function withoutDefaults(schema: z.ZodType): z.ZodType {
  const stripped = strip(schema);
  const doc = keyDocs.get(schema);
  if (doc && stripped !== schema) keyDocs.add(stripped, doc);
  const rule = tableRules.get(schema);
  if (rule && stripped !== schema) tableRules.add(stripped, rule);
  return stripped;
}

function strip(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) return withoutDefaults(schema.unwrap() as z.ZodType).optional();
  if (schema instanceof z.ZodOptional) return withoutDefaults(schema.unwrap() as z.ZodType).optional();
  if (schema instanceof z.ZodRecord) return z.record(z.string(), withoutDefaults(schema.valueType as z.ZodType));
  if (schema instanceof z.ZodObject) return z.looseObject(Object.fromEntries(Object.entries(schema.shape).map(([name, inner]) => [name, withoutDefaults(inner as z.ZodType)])));
  return schema;
}
