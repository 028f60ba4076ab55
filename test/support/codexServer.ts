// The oracle: `codex app-server` from the pinned @openai/codex dev dependency, with a temporary CODEX_HOME
// whose config points its model provider at the fake Responses server (no sign-in needed).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, spawnJsonl, type SpawnedServer } from './protocolClient';

export function codexBinary(): string {
  const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'codex');
  if (!fs.existsSync(bin)) throw new Error('the @openai/codex dev dependency is not installed (npm ci installs it)');
  return bin;
}

/** A CODEX_HOME for the oracle; `extraConfig` is TOML placed before the provider table. */
export function makeCodexHome(baseUrl: string, options: { model?: string; extraConfig?: string } = {}): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-codex-home-'));
  const lines = [
    `model = "${options.model ?? 'test-model'}"`,
    'model_provider = "fake"',
    'model_reasoning_summary = "none"',
    'check_for_update_on_startup = false',
    options.extraConfig ?? '',
    '',
    '[model_providers.fake]',
    'name = "Fake"',
    `base_url = "${baseUrl}"`,
    'wire_api = "responses"',
    'requires_openai_auth = false',
    'stream_idle_timeout_ms = 10000',
    'stream_max_retries = 3',
    'request_max_retries = 3',
  ];
  fs.writeFileSync(path.join(home, 'config.toml'), lines.join('\n') + '\n');
  return home;
}

export function spawnCodexServer(codexHome: string, cwd?: string): SpawnedServer {
  return spawnJsonl(codexBinary(), ['app-server'], { env: { CODEX_HOME: codexHome, RUST_LOG: 'error', NO_COLOR: '1' }, cwd, speaksAppServer: false });
}
