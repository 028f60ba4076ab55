// Loads the config layers — $TANDEM_HOME/config.toml, then an admin managed_config.toml, then the active
// profile, then `-c key=value` overrides — and merges them (tables key by key; scalars and arrays replace),
// remembering which layer each value came from. A file that does not parse is skipped and reported with
// its place; a bad value is dropped and reported (a bad MCP server entry drops that server from every
// layer); the server never exits over config.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { keyRange, renderDiagnostic, renderKeyDiagnostic, type ConfigDiagnostic } from './diagnostics';
import { checkMcpServers } from './mcpServers';
import { isTable, setDotted, type ConfigTable } from './table';
import { BoundedMemo } from './memo';
import { validateLayer, type LayerCheck, type ValueProblem } from './validate';
import { projectConfigFolders, trustOf, type TrustLevel } from './projectConfig';

export type LayerSource = { type: 'user'; file: string; profile: null } | { type: 'project'; dotCodexFolder: string } | { type: 'legacyManagedConfigTomlFromFile'; file: string } | { type: 'sessionFlags' };

export interface ConfigLayer {
  source: LayerSource;
  values: ConfigTable;
  version: string;
}

export interface LoadedConfig {
  /** The effective values. */
  values: ConfigTable;
  layers: ConfigLayer[];
  /** Dotted key → the layer its effective value came from. */
  origins: Record<string, { name: LayerSource; version: string }>;
  problems: ConfigDiagnostic[];
  /** With a `cwd`: the folder's trust, and the `.codex` folders not applied because it is not trusted. */
  projectTrust?: TrustLevel;
  disabledProjectFolders?: string[];
}

export const userConfigPath = (home: string) => path.join(home, 'config.toml');
export const managedConfigPath = (home: string) => path.join(home, 'managed_config.toml');

/** The file and text each layer was read from, to point into it after the merge. */
const sourceOf = new WeakMap<ConfigLayer, { file: string; text: string }>();

/** Each file's text as last parsed and checked (the user's, the admin's, a few projects'). */
const checkedLayers = new BoundedMemo<{ values: ConfigTable; check: LayerCheck; version: string }>(16);

export function versionOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/** With `cwd`, the trusted project layers of that folder sit between the user's file and the admin's. */
export function loadConfig(home: string, overrides: readonly string[] = [], cwd?: string): LoadedConfig {
  const problems: ConfigDiagnostic[] = [];
  const layers: ConfigLayer[] = [];
  /** MCP servers with a bad value in some layer: skipped whole, whatever the other layers say. */
  const brokenServers = new Set<string>();
  for (const [file, source] of [
    [userConfigPath(home), { type: 'user' as const, file: userConfigPath(home), profile: null }],
    [managedConfigPath(home), { type: 'legacyManagedConfigTomlFromFile' as const, file: managedConfigPath(home) }],
  ] as const) {
    const layer = readLayer(file, source, problems, brokenServers);
    if (layer) layers.push(layer);
  }
  const flags: ConfigTable = {};
  for (const override of overrides) {
    try {
      applyOverride(flags, override);
    } catch (error) {
      problems.push({ summary: `Ignored the override ${JSON.stringify(override)}: ${(error as Error).message}`, details: null, path: null, range: null });
    }
  }
  const flagCheck = validateLayer(flags);
  noteBrokenServers(flagCheck.problems, brokenServers);
  for (const problem of [...flagCheck.problems, ...flagCheck.ignored]) problems.push({ summary: `-c ${summaryOf(problem)}`, details: null, path: null, range: null });
  layers.push({ source: { type: 'sessionFlags' }, values: flags, version: versionOf(JSON.stringify(flags)) });
  const project = cwd === undefined ? undefined : projectLayers(cwd, layers, problems, brokenServers);
  if (project) layers.splice(layers.findIndex((l) => l.source.type !== 'user'), 0, ...project.layers);

  // The profile sits between the files and the -c flags.
  const origins: LoadedConfig['origins'] = {};
  const base: ConfigTable = {};
  for (const layer of layers.slice(0, -1)) mergeInto(base, layer.values, layer, origins, '');
  const profileName = (flags.profile ?? base.profile) as unknown;
  if (typeof profileName === 'string') {
    const profile = (base.profiles as ConfigTable | undefined)?.[profileName];
    if (typeof profile === 'object' && profile !== null) {
      const owner = layers.find((l) => typeof (l.values.profiles as ConfigTable | undefined)?.[profileName] === 'object') ?? layers[0]!;
      // MCP servers are top-level only, as in codex: a profile's would bypass their checks.
      const { mcp_servers: servers, ...settings } = profile as ConfigTable;
      if (servers !== undefined) problems.push({ summary: `profiles.${profileName}.mcp_servers is not read: MCP servers are set at the top level, as [mcp_servers.<name>]`, details: null, path: null, range: null });
      mergeInto(base, settings, owner, origins, '');
    } else {
      problems.push({ summary: `The profile "${profileName}" is not defined under [profiles]; it was ignored.`, details: null, path: null, range: null });
    }
  }
  mergeInto(base, flags, layers[layers.length - 1]!, origins, '');
  checkMergedMcpServers(base, layers, origins, brokenServers, problems);
  return { values: base, layers, origins, problems, projectTrust: project?.trust, disabledProjectFolders: project?.disabled };
}

/** Drops the MCP servers broken in some layer or by a rule across keys; each rule broken is reported where its key was set. */
function checkMergedMcpServers(base: ConfigTable, layers: readonly ConfigLayer[], origins: LoadedConfig['origins'], broken: ReadonlySet<string>, problems: ConfigDiagnostic[]): void {
  const servers = base.mcp_servers;
  if (!isTable(servers)) return;
  const dropped = [...broken];
  for (const name of broken) delete servers[name];
  for (const problem of checkMcpServers(base)) {
    dropped.push(problem.server);
    // The layer that wins for the key is the one to fix.
    const layer = [...layers].reverse().find((l) => valueAt(l.values, problem.path) !== undefined);
    const source = layer && sourceOf.get(layer);
    if (!source) {
      problems.push({ summary: layer?.source.type === 'sessionFlags' ? `-c ${problem.message}` : problem.message, details: null, path: null, range: null });
      continue;
    }
    const range = keyRange(source.text, problem.path);
    problems.push({ summary: problem.message, details: range ? renderKeyDiagnostic(source.file, source.text, range, problem.message, problem.path) : null, path: source.file, range });
  }
  for (const name of dropped) {
    const prefix = `mcp_servers.${name}.`;
    for (const key of Object.keys(origins)) if (key.startsWith(prefix)) delete origins[key];
  }
}

function valueAt(values: ConfigTable, path: readonly string[]): unknown {
  let current: unknown = values;
  for (const part of path) current = isTable(current) ? current[part] : undefined;
  return current;
}

const summaryOf = (problem: ValueProblem) => (problem.skipped ? `${problem.message} ${problem.skipped}` : problem.message);

function noteBrokenServers(bad: readonly ValueProblem[], broken: Set<string>): void {
  for (const problem of bad) if (problem.path[0] === 'mcp_servers' && problem.path[1] !== undefined) broken.add(problem.path[1]);
}

/** Trust comes from the user's, the admin's and the session's config, never from a project's own. */
function projectLayers(cwd: string, layers: readonly ConfigLayer[], problems: ConfigDiagnostic[], brokenServers: Set<string>) {
  const projects: ConfigTable = {};
  for (const layer of layers) if (isTable(layer.values.projects)) Object.assign(projects, layer.values.projects);
  const found: ConfigLayer[] = [];
  const disabled: string[] = [];
  for (const folder of projectConfigFolders(cwd, projects)) {
    if (!folder.trusted) {
      disabled.push(folder.dotCodexFolder);
      continue;
    }
    const layer = readLayer(folder.file, { type: 'project', dotCodexFolder: folder.dotCodexFolder }, problems, brokenServers);
    if (layer) found.push(layer);
  }
  return { layers: found, disabled, trust: trustOf(cwd, projects) };
}

function readLayer(file: string, source: LayerSource, problems: ConfigDiagnostic[], brokenServers: Set<string>): ConfigLayer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      problems.push({ summary: `Could not read ${file}: ${(error as Error).message}`, details: null, path: file, range: null });
    }
    return undefined;
  }
  const key = `${file}\0${text}`;
  let checked = checkedLayers.get(key);
  if (!checked) {
    let values: ConfigTable;
    try {
      values = parseToml(text) as ConfigTable;
    } catch (error) {
      const { line, column } = error as { line?: number; column?: number };
      const reason = (error as Error).message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      const range = line && column ? { start: { line, column }, end: { line, column: column + 1 } } : null;
      problems.push({
        summary: `${path.basename(file)} is not valid TOML (${reason}); it was ignored until it is fixed.`,
        details: range ? renderDiagnostic(file, text, range, reason) : reason,
        path: file,
        range,
      });
      return undefined;
    }
    checked = { values, check: validateLayer(values), version: versionOf(text) };
    checkedLayers.set(key, checked);
  }
  const { values, check, version } = checked;
  const { problems: bad, ignored, unknownKeys } = check;
  noteBrokenServers(bad, brokenServers);
  for (const problem of [...bad, ...ignored]) {
    const range = keyRange(text, problem.path);
    const summary = summaryOf(problem);
    problems.push({ summary, details: range ? renderKeyDiagnostic(file, text, range, summary, problem.path) : null, path: file, range });
  }
  if (unknownKeys.length > 0) {
    problems.push({ summary: `${path.basename(file)} has keys Tandem does not use (kept as they are): ${unknownKeys.join(', ')}`, details: null, path: file, range: null });
  }
  const layer: ConfigLayer = { source, values, version };
  sourceOf.set(layer, { file, text });
  return layer;
}

/** Tables merge key by key; scalars and arrays replace. Records each leaf's origin. */
function mergeInto(target: ConfigTable, source: ConfigTable, layer: ConfigLayer, origins: LoadedConfig['origins'], prefix: string): void {
  for (const [key, value] of Object.entries(source)) {
    const keyPath = prefix ? `${prefix}.${key}` : key;
    if (isTable(value)) {
      if (!isTable(target[key])) target[key] = {};
      mergeInto(target[key] as ConfigTable, value, layer, origins, keyPath);
    } else {
      target[key] = value;
      origins[keyPath] = { name: layer.source, version: layer.version };
    }
  }
}

/** `key.path=value`: the value is read as TOML, or taken as a plain string when it is not TOML. */
export function applyOverride(values: ConfigTable, override: string): void {
  const eq = override.indexOf('=');
  if (eq <= 0) throw new Error('expected key=value');
  const key = override.slice(0, eq).trim();
  const raw = override.slice(eq + 1).trim();
  setDotted(values, key, parseOverrideValue(raw));
}

export function parseOverrideValue(raw: string): unknown {
  try {
    return (parseToml(`value = ${raw}`) as { value: unknown }).value;
  } catch {
    return raw;
  }
}
