// Tandem next to the codex app-server oracle, same machine, same fake model, runs alternated:
// (a) start → initialize result, (b) overhead per turn, (c) thread/list over 10,000 rollouts,
// (d) resident memory after 100 turns, (e) how soon a steer reaches the model. Medians and Tandem/codex ratios are returned for RESULTS.md.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../src/core/log';
import { createTandemServer } from '../src/server/tandemServer';
import { startInProcess } from '../src/server/transports/inProcess';
import { makeCodexHome, spawnCodexServer } from '../test/support/codexServer';
import { FakeModelServer, completed, textReply, toolCallReply, type ScriptedReply } from '../test/support/fakeModel';
import { REPO_ROOT, spawnJsonl, type SpawnedServer } from '../test/support/protocolClient';
import { writeRollout } from '../test/support/rollouts';
import { makeTempHome } from '../test/support/tempHome';
import { median } from './stats';
import { steerLatency } from './steer';

export interface Row {
  name: string;
  tandem: number;
  codex: number;
  unit: string;
  target?: string;
  /** Extra Tandem figures (for example in-process). */
  note?: string;
}


type Kind = 'tandem' | 'codex';

interface Running {
  server: SpawnedServer;
  model: FakeModelServer;
  workspace: string;
}

export async function launch(kind: Kind, options: { home?: string; model?: FakeModelServer } = {}): Promise<Running & { home: string }> {
  const model = options.model ?? (await new FakeModelServer().start());
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `tandem-bench-ws-${kind}-`));
  let home = options.home;
  let server: SpawnedServer;
  if (kind === 'tandem') {
    home ??= makeTempHome({ baseUrl: model.baseUrl, model: 'gpt-5.5', extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' }).home;
    server = spawnJsonl(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'app-server'], { env: { TANDEM_HOME: home, TANDEM_LOG: 'error' }, cwd: workspace, speaksAppServer: false });
  } else {
    home ??= makeCodexHome(model.baseUrl, { model: 'gpt-5.5', extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' });
    server = spawnCodexServer(home, workspace);
  }
  await initialize(server);
  return { server, model, workspace, home };
}

async function initialize(server: SpawnedServer): Promise<void> {
  const response = await server.client.request('initialize', { clientInfo: { name: 'tandem_bench', title: null, version: '1.0.0' } }, undefined);
  if (response.error) throw new Error(`initialize failed: ${response.error.message}`);
  server.client.send({ method: 'initialized' });
}

// ---- (a) startup ----

async function startup(rounds: number): Promise<Row[]> {
  const samples: Record<'process' | 'codex' | 'inProcess', number[]> = { process: [], codex: [], inProcess: [] };
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-start-'));
  const codexHome = makeCodexHome('http://127.0.0.1:9/v1');
  for (let i = 0; i < rounds; i++) {
    for (const kind of ['process', 'codex', 'inProcess'] as const) {
      const started = performance.now();
      if (kind === 'inProcess') {
        const server = createTandemServer({ logger: silentLogger, home });
        const client = await startInProcess({ server, clientInfo: { name: 'bench', title: null, version: '1' } });
        samples.inProcess.push(performance.now() - started);
        await client.shutdown();
        continue;
      }
      const server =
        kind === 'process'
          ? spawnJsonl(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'app-server'], { env: { TANDEM_HOME: home, TANDEM_LOG: 'error' }, speaksAppServer: false })
          : spawnCodexServer(codexHome);
      await initialize(server);
      samples[kind].push(performance.now() - started);
      await server.close();
    }
  }
  const codex = median(samples.codex);
  return [
    { name: '(a) start → initialize, in-process', tandem: median(samples.inProcess), codex, unit: 'ms', target: '≤ 0.1' },
    { name: '(a) start → initialize, as a process (stdio)', tandem: median(samples.process), codex, unit: 'ms', target: '≤ 0.5' },
  ];
}

// ---- (b) overhead per turn ----

const patchReply = (callId: string, file: string): ScriptedReply => ({
  events: [
    { type: 'response.created', response: {} },
    { type: 'response.output_item.added', output_index: 0, item: { type: 'custom_tool_call', name: 'apply_patch', input: '', call_id: callId } },
    { type: 'response.output_item.done', output_index: 0, item: { type: 'custom_tool_call', name: 'apply_patch', input: `*** Begin Patch\n*** Add File: ${file}\n+hello\n*** End Patch`, call_id: callId } },
    completed(),
  ],
});

async function timedTurn(running: Running, threadId: string, replies: ScriptedReply[]): Promise<number> {
  const before = running.model.requests.length;
  running.model.enqueue(...replies);
  const started = performance.now();
  const response = await running.server.client.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
  if (response.error) throw new Error(`turn/start failed: ${response.error.message}`);
  await running.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === response.result.turn.id, 30_000);
  const total = performance.now() - started;
  const modelTime = running.model.requests.slice(before).reduce((sum, r) => sum + ((r.finishedAt ?? r.receivedAt) - r.receivedAt), 0);
  return total - modelTime;
}

async function turnOverhead(turns: number): Promise<Row[]> {
  const servers = { tandem: await launch('tandem'), codex: await launch('codex') };
  const threads: Record<Kind, string> = { tandem: '', codex: '' };
  for (const kind of ['tandem', 'codex'] as const) {
    const response = await servers[kind].server.client.request('thread/start', { cwd: servers[kind].workspace });
    threads[kind] = response.result.thread.id;
  }
  const text: Record<Kind, number[]> = { tandem: [], codex: [] };
  const tools: Record<Kind, number[]> = { tandem: [], codex: [] };
  for (let i = 0; i < turns; i++) {
    for (const kind of ['tandem', 'codex'] as const) {
      text[kind].push(await timedTurn(servers[kind], threads[kind], [textReply('ok')]));
      tools[kind].push(
        await timedTurn(servers[kind], threads[kind], [toolCallReply('exec_command', { cmd: 'echo hi' }, `c${i}`), patchReply(`p${i}`, `f${i}.txt`), textReply('done')]),
      );
    }
  }
  for (const running of Object.values(servers)) {
    await running.server.close();
    await running.model.stop();
  }
  return [
    { name: '(b) overhead per turn, text reply', tandem: median(text.tandem), codex: median(text.codex), unit: 'ms', target: '≤ 0.2' },
    { name: '(b) overhead per turn, exec_command + apply_patch', tandem: median(tools.tandem), codex: median(tools.codex), unit: 'ms', target: '≤ 0.2' },
  ];
}

// ---- (c) thread/list over 10,000 rollouts ----

async function listing(count: number, rounds: number): Promise<Row[]> {
  const model = await new FakeModelServer().start();
  const tandemHome = makeTempHome({ baseUrl: model.baseUrl }).home;
  const codexHome = makeCodexHome(model.baseUrl);
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const options = { createdAt: new Date(base + i * 60_000), preview: `thread number ${i}`, provider: 'fake', cwd: '/work/project' };
    const { id } = await writeRollout(tandemHome, options);
    await writeRollout(codexHome, { ...options, id });
  }
  const rows: Row[] = [];
  const servers = { tandem: await launch('tandem', { home: tandemHome, model }), codex: await launch('codex', { home: codexHome, model }) };
  const first: Record<Kind, number[]> = { tandem: [], codex: [] };
  const deep: Record<Kind, number[]> = { tandem: [], codex: [] };
  const cold: Record<Kind, number> = { tandem: 0, codex: 0 };
  const listed: Record<Kind, number> = { tandem: 0, codex: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['tandem', 'codex'] as const) {
      const client = servers[kind].server.client;
      let started = performance.now();
      const page = await client.request('thread/list', { limit: 25, sourceKinds: [] }, undefined);
      const elapsed = performance.now() - started;
      if (page.error) throw new Error(`${kind} thread/list failed: ${page.error.message}`);
      if (round === 0) cold[kind] = elapsed;
      else first[kind].push(elapsed);
      // A deep page: 40 pages of 100 in, the next one is timed.
      let cursor = page.result.nextCursor;
      let seen = page.result.data.length;
      for (let p = 0; p < 40 && cursor; p++) {
        const next = await client.request('thread/list', { limit: 100, cursor, sourceKinds: [] }, undefined);
        cursor = next.result.nextCursor;
        seen += next.result.data.length;
      }
      listed[kind] = seen;
      if (!cursor) continue;
      started = performance.now();
      await client.request('thread/list', { limit: 100, cursor, sourceKinds: [] }, undefined);
      if (round > 0) deep[kind].push(performance.now() - started);
    }
  }
  for (const running of Object.values(servers)) await running.server.close();
  await model.stop();
  const note = `listed through ${listed.tandem} (Tandem) and ${listed.codex} (codex) threads; first call, cold: Tandem ${cold.tandem.toFixed(1)} ms (index rebuilt from the rollouts), codex ${cold.codex.toFixed(1)} ms`;
  rows.push({ name: `(c) thread/list, first page of ${count}`, tandem: median(first.tandem), codex: median(first.codex), unit: 'ms', target: '≤ 0.2', note });
  if (deep.tandem.length && deep.codex.length) rows.push({ name: '(c) thread/list, a deep page (4,025 in)', tandem: median(deep.tandem), codex: median(deep.codex), unit: 'ms', target: '≤ 0.2' });
  return rows;
}

// ---- (d) memory after 100 turns ----

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function memory(turns: number): Promise<Row[]> {
  const rss: Record<Kind, number> = { tandem: 0, codex: 0 };
  for (const kind of ['tandem', 'codex'] as const) {
    const running = await launch(kind);
    const thread = await running.server.client.request('thread/start', { cwd: running.workspace });
    for (let i = 0; i < turns; i++) await timedTurn(running, thread.result.thread.id, [textReply(`reply number ${i}, with a little text to keep`)]);
    rss[kind] = rssOf(running.server.child.pid!);
    await running.server.close();
    await running.model.stop();
  }
  return [{ name: `(d) resident memory after ${turns} turns`, tandem: rss.tandem, codex: rss.codex, unit: 'MiB', target: '≤ 0.5' }];
}

export async function runVsCodexBench(): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await startup(7)));
  rows.push(...(await turnOverhead(15)));
  rows.push(...(await listing(10_000, 6)));
  rows.push(...(await memory(100)));
  rows.push(await steerLatency(launch, 5));
  return rows;
}
