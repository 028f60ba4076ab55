// Temporary TANDEM_HOME and workspace folders for tests, and the config.toml that points a server (Tandem,
// or the codex oracle) at the fake model.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempHome {
  home: string;
  workspace: string;
  env: NodeJS.ProcessEnv;
}

export interface FakeConfigOptions {
  /** The `model` key; default "test-model". */
  model?: string;
  /** TOML placed before the provider table: top-level keys, and tables of its own at its end. */
  extraConfig?: string;
  /** Keys of `[model_providers.fake]` over the defaults; `undefined` leaves a default out. */
  provider?: Record<string, string | number | boolean | undefined>;
  /** TOML tables placed after the provider table. */
  tables?: string;
}

/** A config.toml whose model provider is the fake model at `baseUrl`. */
export function fakeModelConfig(baseUrl: string, options: FakeConfigOptions = {}): string {
  const provider = { name: 'Fake', base_url: baseUrl, stream_idle_timeout_ms: 10_000, stream_max_retries: 3, request_max_retries: 3, ...options.provider };
  const lines = [
    `model = "${options.model ?? 'test-model'}"`,
    'model_provider = "fake"',
    'model_reasoning_summary = "none"',
    options.extraConfig ?? '',
    '',
    '[model_providers.fake]',
    ...Object.entries(provider)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key} = ${JSON.stringify(value)}`),
    ...(options.tables ? ['', options.tables] : []),
  ];
  return lines.join('\n') + '\n';
}

/** Empty folders; with `baseUrl`, a config.toml that points at the fake model there. */
export function makeTempHome(options: FakeConfigOptions & { baseUrl?: string } = {}): TempHome {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-'));
  const home = path.join(root, 'home');
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  if (options.baseUrl) fs.writeFileSync(path.join(home, 'config.toml'), fakeModelConfig(options.baseUrl, options));
  return { home, workspace, env: { TANDEM_HOME: home } };
}
