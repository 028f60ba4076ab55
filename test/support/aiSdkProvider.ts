// The AI SDK's Codex provider (ai-sdk-provider-codex-cli) in app-server mode, run unmodified against the
// built Tandem CLI: a `codex` shim on disk is the provider's codexPath and CODEX_HOME is the only home it
// passes, as for a user who installed Tandem in place of codex. The model is the fake Responses server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { createCodexAppServer } from 'ai-sdk-provider-codex-cli';
import { completed, FakeModelServer, type ScriptedReply } from './fakeModel';
import { REPO_ROOT } from './protocolClient';
import { makeTempHome, type TempHome } from './tempHome';

type AppServerProvider = ReturnType<typeof createCodexAppServer>;
export type AppServerSettings = NonNullable<Parameters<typeof createCodexAppServer>[0]>['defaultSettings'];

type Ai = typeof import('ai');
type Provider = typeof import('ai-sdk-provider-codex-cli');
let loaded: { ai: Ai; provider: Provider } | undefined;

/** The AI SDK and the provider; both ship as ES modules only, so they are imported, never required. */
export async function loadAiSdk(): Promise<{ ai: Ai; provider: Provider }> {
  loaded ??= { ai: await import('ai'), provider: await import('ai-sdk-provider-codex-cli') };
  return loaded;
}

/** The model every scenario asks for: one whose apply_patch is the freeform tool, as codex offers it. */
export const MODEL = 'gpt-5.5';

/** An executable `codex` in `dir` that runs the built Tandem CLI with whatever arguments it is given. */
export function writeCodexShim(dir: string): string {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const shim = path.join(dir, 'codex');
  // TANDEM_HOME would win over CODEX_HOME; a client that spawns codex knows only the latter.
  fs.writeFileSync(shim, `#!/bin/sh\nunset TANDEM_HOME\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} "$@"\n`, { mode: 0o755 });
  return shim;
}

/** A freeform apply_patch call, the shape the Responses API streams for it. */
export function patchCallReply(patch: string, callId: string): ScriptedReply {
  const item = { type: 'custom_tool_call', name: 'apply_patch', call_id: callId };
  return {
    events: [
      { type: 'response.created', response: {} },
      { type: 'response.output_item.added', output_index: 0, item: { ...item, input: '' } },
      { type: 'response.output_item.done', output_index: 0, item: { ...item, input: patch } },
      completed(),
    ],
  };
}

/** A fake model, a Tandem home pointing at it, a codex shim, and the providers made over them. */
export class AiSdkHarness {
  readonly shim: string;
  /** What the provider logged as warnings or errors (a dropped notification shows up here). */
  readonly complaints: string[] = [];
  private readonly providers: AppServerProvider[] = [];

  private constructor(
    readonly model: FakeModelServer,
    readonly temp: TempHome,
  ) {
    this.shim = writeCodexShim(path.dirname(temp.home));
  }

  static async start(): Promise<AiSdkHarness> {
    await loadAiSdk();
    const model = await new FakeModelServer().start();
    return new AiSdkHarness(model, makeTempHome({ baseUrl: model.baseUrl, model: MODEL }));
  }

  /** A provider with its own app-server process, spawned on first use. */
  provider(settings: AppServerSettings = {}): AppServerProvider {
    // Its own remarks on the settings given (autoApprove over approvalPolicy) are not about the server.
    const log = (level: string) => (message: string) => void (/^Codex App Server( Provider)?: /.test(message) || this.complaints.push(`${level}: ${message}`));
    const provider = loaded!.provider.createCodexAppServer({
      defaultSettings: {
        codexPath: this.shim,
        cwd: this.temp.workspace,
        env: { CODEX_HOME: this.temp.home },
        logger: { debug: () => undefined, info: () => undefined, warn: log('warn'), error: log('error') },
        ...settings,
      },
    });
    this.providers.push(provider);
    return provider;
  }

  /** The text of each message, and each tool output, the model was sent in request `index`. */
  inputOf(index: number): string[] {
    const request = this.model.requests.at(index);
    if (!request) throw new Error(`the fake model has no request ${index}`);
    return (request.body.input as Array<{ type: string; role?: string; content?: Array<{ text?: string }>; output?: string }>).map((item) =>
      item.type === 'message' ? `${item.role}: ${(item.content ?? []).map((c) => c.text ?? '').join('')}` : `${item.type}: ${item.output ?? ''}`,
    );
  }

  /** Rollout files written under the home (persistent threads leave one, ephemeral ones none). */
  rollouts(): string[] {
    const dir = path.join(this.temp.home, 'sessions');
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((name) => name.endsWith('.jsonl'));
  }

  async closeProviders(): Promise<void> {
    for (const provider of this.providers.splice(0)) await provider.close();
  }

  async close(): Promise<void> {
    await this.closeProviders();
    await this.model.stop();
    // The provider stops its app-server with SIGTERM and does not wait: the server's last git runs (a turn's
    // checkpoint being recorded) may still be writing under the home for a moment.
    fs.rmSync(path.dirname(this.temp.home), { recursive: true, force: true, maxRetries: 10 });
  }
}
