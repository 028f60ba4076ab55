// Differential scenarios: the same client script and the same fake-model script run against `tandem
// app-server` and the `codex app-server` oracle; what each sends is reduced to a comparable shape.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isContextMessage } from '../../src/core/thread/history';
import type { ResponseItem } from '../../src/core/model/responseItems';
import { makeCodexHome, spawnCodexServer } from './codexServer';
import { FakeModelServer, type RecordedRequest } from './fakeModel';
import { spawnStdioServer, type SpawnedServer, type WireMessage } from './protocolClient';
import { makeTempHome } from './tempHome';

export type ServerKind = 'tandem' | 'codex';

/** What a scenario drives: a server it may restart (same home), the fake model and a workspace. */
export interface ScenarioContext {
  kind: ServerKind;
  model: FakeModelServer;
  workspace: string;
  /** The server's home (TANDEM_HOME or CODEX_HOME): config.toml, the global AGENTS.md. */
  home: string;
  server: SpawnedServer;
  /** Stops the server and starts a fresh process over the same home. */
  restart(): Promise<void>;
  /** Every message received, across restarts. */
  received: WireMessage[];
  /** What the scenario recorded to compare besides the events (method answers, normalized). */
  answers: unknown[];
}

export interface Scenario {
  name: string;
  /** TOML for both servers' config (approval policy, sandbox). */
  config?: string;
  /** `initialize` capabilities (`experimentalApi` for dynamic tools). */
  capabilities?: unknown;
  /** Why the kinds of model input are not compared (the scenario checks what matters through its answers). */
  modelInputsDiffer?: string;
  run(context: ScenarioContext): Promise<void>;
}

/**
 * Notifications left out of the comparison, each with the reason. Everything else a thread receives is
 * compared in order.
 */
export const NOT_COMPARED: Record<string, string> = {
  'thread/tokenUsage/updated': 'codex also reports usage at turn start from its own estimate; Tandem reports what the model counted',
  'account/rateLimits/updated': 'codex sends it after every response even when the provider sends no rate-limit headers',
  'remoteControl/status/changed': 'remote control (ChatGPT desktop hand-off) is not implemented in Tandem',
  warning: 'codex warns about helper binaries it cannot link under a temporary CODEX_HOME; environment noise, not protocol',
  'skills/changed': 'Tandem does not watch skill folders; codex sends it when the files under them change (and when it installs its bundled skills)',
  'thread/readState/changed': 'the unread marker is experimental in codex, sent only to experimentalApi clients; Tandem keeps no read state',
  'serverRequest/resolved': 'compared through the approval entries instead; codex 0.169 sends it only for some request kinds',
};

/** Notifications whose back-to-back repeats count once: deltas follow chunking, and codex sends a patch's diff twice. */
const REPEATS_COMPARED_ONCE = new Set(['item/agentMessage/delta', 'turn/diff/updated']);

export interface Observed {
  /** (method, item type, item status / turn status) per thread message, in order. */
  events: string[];
  /** Per model request: the kinds of its input items, in order. */
  modelInputs: string[][];
  answers: unknown[];
}

async function boot(kind: ServerKind, model: FakeModelServer, config: string, workspace: string): Promise<{ home: string; start(): SpawnedServer }> {
  if (kind === 'tandem') {
    const temp = makeTempHome({ baseUrl: model.baseUrl, model: 'gpt-5.5', extraConfig: config });
    return { home: temp.home, start: () => spawnStdioServer({ env: temp.env }) };
  }
  const home = makeCodexHome(model.baseUrl, { model: 'gpt-5.5', extraConfig: config });
  return { home, start: () => spawnCodexServer(home, workspace) };
}

export async function observe(kind: ServerKind, scenario: Scenario): Promise<Observed> {
  const model = await new FakeModelServer().start();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `tandem-diff-${kind}-`));
  const launcher = await boot(kind, model, scenario.config ?? '', workspace);
  const received: WireMessage[] = [];
  const connect = async () => {
    const server = launcher.start();
    const accept = server.client.accept.bind(server.client);
    server.client.accept = (message) => {
      received.push(message);
      accept(message);
    };
    await server.client.request('initialize', { clientInfo: { name: 'tandem_diff', title: null, version: '1.0.0' }, capabilities: scenario.capabilities });
    server.client.send({ method: 'initialized' });
    return server;
  };
  const context: ScenarioContext = {
    kind,
    model,
    workspace,
    home: launcher.home,
    server: await connect(),
    received,
    answers: [],
    restart: async () => {
      await context.server.close();
      context.server = await connect();
    },
  };
  try {
    await scenario.run(context);
    await quiet(received);
  } finally {
    await context.server.close();
    await model.stop();
  }
  return { events: threadEvents(received), modelInputs: model.turnRequests.map(inputKinds), answers: context.answers };
}

function threadEvents(received: WireMessage[]): string[] {
  const events: string[] = [];
  for (const message of received) {
    if (message.method === undefined || message.method in NOT_COMPARED) continue;
    const params = message.params ?? {};
    if (params.threadId === undefined && params.thread?.id === undefined) continue;
    let entry = message.method;
    if (params.item) entry += `:${params.item.type}${params.item.status ? `:${params.item.status}` : ''}`;
    if (message.method === 'turn/completed') entry += `:${params.turn.status}`;
    if (message.method === 'thread/status/changed') entry += `:${params.status.type}${params.status.activeFlags?.length ? `:${params.status.activeFlags.join(',')}` : ''}`;
    if (message.id !== undefined) entry = `request ${entry}`;
    if (events.at(-1) === entry && REPEATS_COMPARED_ONCE.has(message.method)) continue;
    events.push(entry);
  }
  return events;
}

/** Input item kinds; runs of the same kind count once (codex splits context over more messages). */
function inputKinds(request: RecordedRequest): string[] {
  const kinds: string[] = [];
  for (const item of request.body.input as Array<{ type: string; role?: string; content?: Array<{ text?: string }> }>) {
    const kind = item.type === 'message' ? `message:${item.role}${isContextMessage(item as ResponseItem) ? ':context' : ''}` : item.type;
    if (kinds.at(-1) !== kind) kinds.push(kind);
  }
  return kinds;
}

/**
 * Waits until the server has been silent for a moment (at most two seconds): notifications that follow a
 * scenario's last answer (thread/started after thread/start or fork) belong to it, whichever server is
 * slower under load.
 */
async function quiet(received: readonly WireMessage[], silenceMs = 250, maxMs = 2_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let seen = received.length;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, silenceMs));
    if (received.length === seen) return;
    seen = received.length;
  }
}
