// config/read, config/value/write, config/batchWrite and configRequirements/read. Reads share a key;
// writes are exclusive. Writes keep the user's comments and layout, are atomic, and refuse a stale
// expectedVersion. After initialize, each client hears about config problems as configWarning.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigBatchWrite, ConfigRead, ConfigRequirementsRead, ConfigValueWrite, ConfigWarning, ErrorCode, RpcError, invalidRequest } from '../../protocol';
import { modeOf, writeFileAtomic } from '../../core/atomicWrite';
import { applyEdits, type MergeStrategy } from '../../core/config/edit';
import { loadConfig, userConfigPath, versionOf } from '../../core/config/load';
import { loadRequirements } from '../../core/config/requirements';
import { formatKeyPath, getDotted, parseKeyPath } from '../../core/config/table';
import { editProblem, effectiveConfig } from '../../core/config/validate';
import type { AppServer } from '../appServer';
import { exclusive, sharedRead } from '../serialization';

/** Keys a config write puts into the active profile when there is one. */
const PROFILE_KEYS = new Set(['model', 'model_reasoning_effort']);

/** A refused write, with the reason code codex puts in the error's data. */
const writeError = (code: 'configLayerReadonly' | 'configVersionConflict' | 'configValidationError', message: string) =>
  new RpcError(ErrorCode.InvalidRequest, message, { config_write_error_code: code });

export function registerConfigHandlers(server: AppServer, home: string, overrides: readonly string[]): void {
  const { registry, outgoing } = server;

  server.onInitialized((connection) => {
    for (const problem of loadConfig(home, overrides).problems) {
      outgoing.notifyConnection(connection, ConfigWarning, { summary: problem.summary, details: problem.details, path: problem.path, range: problem.range });
    }
  });

  registry.register(ConfigRead, {
    key: () => sharedRead('config'),
    handle: async (params) => {
      // With a cwd, the config as a thread there sees it: trusted project layers included.
      const loaded = loadConfig(home, overrides, params?.cwd ? path.resolve(params.cwd) : undefined);
      return {
        config: effectiveConfig(loaded.values),
        origins: loaded.origins,
        // As codex lists them: the layer that wins first, and no `layers` key unless asked.
        layers: params?.includeLayers ? [...loaded.layers].reverse().map((l) => ({ name: l.source, version: l.version, config: l.values, disabledReason: null })) : undefined,
      };
    },
  });

  const write = async (requested: Array<{ keyPath: string; value: unknown; mergeStrategy: MergeStrategy }>, filePath: string | null | undefined, expectedVersion: string | null | undefined) => {
    const target = userConfigPath(home);
    // With a profile active, the default model and effort are the profile's: write them there.
    // Key paths are read the TOML way: `projects."/a/b".trust_level` names the table `/a/b`.
    const profile = loadConfig(home, overrides).values.profile;
    let edits: Array<{ keyPath: string; segments: string[]; value: unknown; mergeStrategy: MergeStrategy }>;
    try {
      edits = requested.map((edit) => {
        const parsed = parseKeyPath(edit.keyPath);
        const segments = typeof profile === 'string' && parsed.length === 1 && PROFILE_KEYS.has(parsed[0]!) ? ['profiles', profile, ...parsed] : parsed;
        return { ...edit, keyPath: formatKeyPath(segments), segments };
      });
    } catch (error) {
      throw invalidRequest((error as Error).message);
    }
    if (filePath && path.resolve(filePath) !== target) throw writeError('configLayerReadonly', 'Only writes to the user config are allowed');
    let text = '';
    try {
      text = fs.readFileSync(target, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw invalidRequest(`cannot read ${target}: ${(error as Error).message}`);
    }
    const current = versionOf(text);
    if (expectedVersion && expectedVersion !== current) throw writeError('configVersionConflict', 'Configuration was modified since last read. Fetch latest version and retry.');
    let updated: string;
    try {
      updated = applyEdits(text, edits);
    } catch (error) {
      throw invalidRequest((error as Error).message);
    }
    // Checked in the new file, so a table written in part is checked with the keys it already has.
    const problem = editProblem(updated, edits.map((e) => e.keyPath));
    if (problem) throw writeError('configValidationError', problem);
    try {
      await writeFileAtomic(target, updated, await modeOf(target, 0o644));
    } catch (error) {
      throw invalidRequest(`cannot write ${target}: ${(error as Error).message}`);
    }
    const loaded = loadConfig(home, overrides);
    const overridden = edits
      // Origins join the segments with dots, as codex's do.
      .map((e) => ({ edit: e, origin: loaded.origins[e.segments.join('.')] }))
      .find(({ origin }) => origin && origin.name.type !== 'user');
    return {
      status: overridden ? ('okOverridden' as const) : ('ok' as const),
      version: versionOf(updated),
      filePath: target,
      overriddenMetadata: overridden
        ? {
            message: `${overridden.edit.keyPath} was written, but ${overridden.origin!.name.type === 'sessionFlags' ? 'a -c override' : 'managed_config.toml'} sets it, so that value applies`,
            overridingLayer: overridden.origin!,
            effectiveValue: getDotted(loaded.values, overridden.edit.keyPath) ?? null,
          }
        : null,
    };
  };

  registry.register(ConfigValueWrite, {
    key: () => exclusive('config'),
    handle: (params) => write([{ keyPath: params.keyPath, value: params.value, mergeStrategy: params.mergeStrategy }], params.filePath, params.expectedVersion),
  });

  registry.register(ConfigBatchWrite, {
    key: () => exclusive('config'),
    handle: (params) => write(params.edits, params.filePath, params.expectedVersion),
  });

  registry.register(ConfigRequirementsRead, {
    key: () => sharedRead('config'),
    handle: async () => {
      try {
        return { requirements: loadRequirements(home) };
      } catch (error) {
        throw invalidRequest((error as Error).message);
      }
    },
  });
}
