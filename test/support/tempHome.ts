// Temporary TANDEM_HOME and workspace folders for tests, with a config that points at the fake model.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempHome {
  home: string;
  workspace: string;
  env: NodeJS.ProcessEnv;
}

export function makeTempHome(options: { baseUrl?: string; model?: string; extraConfig?: string; idleTimeoutMs?: number; streamMaxRetries?: number; requestMaxRetries?: number } = {}): TempHome {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-'));
  const home = path.join(root, 'home');
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  if (options.baseUrl) {
    const lines = [
      `model = "${options.model ?? 'test-model'}"`,
      'model_provider = "fake"',
      'model_reasoning_summary = "none"',
      options.extraConfig ?? '',
      '',
      '[model_providers.fake]',
      'name = "Fake"',
      `base_url = "${options.baseUrl}"`,
      `stream_idle_timeout_ms = ${options.idleTimeoutMs ?? 10_000}`,
      `stream_max_retries = ${options.streamMaxRetries ?? 3}`,
      `request_max_retries = ${options.requestMaxRetries ?? 3}`,
    ];
    fs.writeFileSync(path.join(home, 'config.toml'), lines.join('\n') + '\n');
  }
  return { home, workspace, env: { TANDEM_HOME: home } };
}
