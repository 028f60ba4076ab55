// The oracle: `codex app-server` from the pinned @openai/codex dev dependency, with a temporary CODEX_HOME
// whose config points its model provider at the fake Responses server (no sign-in needed).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, spawnJsonl, type SpawnedServer } from './protocolClient';
import { fakeModelConfig } from './tempHome';

export function codexBinary(): string {
  const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'codex');
  if (!fs.existsSync(bin)) throw new Error('the @openai/codex dev dependency is not installed (npm ci installs it)');
  return bin;
}

/** A CODEX_HOME for the oracle; `extraConfig` is TOML placed before the provider table. */
export function makeCodexHome(baseUrl: string, options: { model?: string; extraConfig?: string } = {}): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-codex-home-'));
  const config = fakeModelConfig(baseUrl, {
    model: options.model,
    extraConfig: ['check_for_update_on_startup = false', options.extraConfig ?? ''].join('\n'),
    provider: { wire_api: 'responses', requires_openai_auth: false },
  });
  fs.writeFileSync(path.join(home, 'config.toml'), config);
  return home;
}

/** `env` adds to the oracle's environment (`CODEX_APP_SERVER_LOGIN_ISSUER` points its sign-in at a fake issuer). */
export function spawnCodexServer(codexHome: string, cwd?: string, env: NodeJS.ProcessEnv = {}): SpawnedServer {
  return spawnJsonl(codexBinary(), ['app-server'], { env: { CODEX_HOME: codexHome, RUST_LOG: 'error', NO_COLOR: '1', ...env }, cwd, speaksAppServer: false });
}
