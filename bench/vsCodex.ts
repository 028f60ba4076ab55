// Tandem next to the codex app-server oracle, same machine, same fake model, runs alternated:
// (a) start → initialize result, (b) overhead per turn, (c) thread/list over 10,000 rollouts,
// (d) resident memory after 100 turns, (e) how soon a steer reaches the model, (f) a long streamed reply. Medians and Tandem/codex ratios are returned for RESULTS.md.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { silentLogger } from '../src/core/log';
import { createTandemServer } from '../src/server/tandemServer';
import { startInProcess } from '../src/server/transports/inProcess';

const execFileAsync = promisify(execFile);
import { makeCodexHome, spawnCodexServer } from '../test/support/codexServer';
import { FakeModelServer, completed, textReply, toolCallReply, type ScriptedReply } from '../test/support/fakeModel';
import { REPO_ROOT, spawnJsonl, type SpawnedServer } from '../test/support/protocolClient';
import { writeRollout } from '../test/support/rollouts';
import { makeTempHome } from '../test/support/tempHome';
import { median } from './stats';
import { rowsOf, type Cleanup, type Row, type Scale } from './steps';
import { steerLatency } from './steer';

export type { Row } from './steps';

type Kind = 'tandem' | 'codex';

/** How long one request or message may take inside a step (the step itself has a limit too). */
export const STEP_WAIT_MS = 120_000;

/** `tandem app-server` on stdio from the built bundle, on `home`. */
export function spawnTandem(home: string, cwd?: string): SpawnedServer {
  return spawnJsonl(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'app-server'], { env: { TANDEM_HOME: home, TANDEM_LOG: 'error' }, cwd, speaksAppServer: false });
}

interface Running {
  kind: Kind;
  server: SpawnedServer;
  model: FakeModelServer;
  workspace: string;
}

export async function launch(kind: Kind, cleanup: Cleanup, options: { home?: string; model?: FakeModelServer } = {}): Promise<Running & { home: string }> {
  const model = options.model ?? cleanup.add(await new FakeModelServer().start(), (m) => m.stop());
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), `tandem-bench-ws-${kind}-`));
  let home = options.home;
  let server: SpawnedServer;
  if (kind === 'tandem') {
    home ??= makeTempHome({ baseUrl: model.baseUrl, model: 'gpt-5.5', extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' }).home;
    server = spawnTandem(home, workspace);
  } else {
    home ??= makeCodexHome(model.baseUrl, { model: 'gpt-5.5', extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' });
    server = spawnCodexServer(home, workspace);
  }
  cleanup.add(server, (running) => running.close());
  // A cold first call over a large home (codex's first thread/list over 10,000 rollouts) takes a while.
  server.client.waitMs = STEP_WAIT_MS;
  await initialize(server).catch((error: Error) => {
    throw new Error(`${kind}: ${error.message}`);
  });
  return { kind, server, model, workspace, home };
}

/** initialize, then initialized, as a client opens a session. */
export async function initialize(server: SpawnedServer): Promise<void> {
  const response = await server.client.request('initialize', { clientInfo: { name: 'tandem_bench', title: null, version: '1.0.0' } }, undefined);
  if (response.error) throw new Error(`initialize failed: ${response.error.message}`);
  server.client.send({ method: 'initialized' });
}

// ---- (a) startup ----

async function startup(rounds: number, cleanup: Cleanup): Promise<Row[]> {
  const samples: Record<'process' | 'codex' | 'inProcess', number[]> = { process: [], codex: [], inProcess: [] };
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-start-'));
  const codexHome = makeCodexHome('http://127.0.0.1:9/v1');
  for (let i = 0; i < rounds; i++) {
    for (const kind of ['process', 'codex', 'inProcess'] as const) {
      const started = performance.now();
      if (kind === 'inProcess') {
        const server = createTandemServer({ logger: silentLogger, home });
        const client = cleanup.add(await startInProcess({ server, clientInfo: { name: 'bench', title: null, version: '1' } }), (c) => c.shutdown());
        samples.inProcess.push(performance.now() - started);
        await client.shutdown();
        continue;
      }
      const server =
        kind === 'process'
          ? spawnTandem(home)
          : spawnCodexServer(codexHome);
      cleanup.add(server, (running) => running.close());
      server.client.waitMs = STEP_WAIT_MS;
      await initialize(server).catch((error: Error) => {
        throw new Error(`${kind === 'process' ? 'Tandem' : 'codex'}: ${error.message}`);
      });
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
  await running.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === response.result.turn.id).catch((error: Error) => {
    throw new Error(`${running.kind}: the turn did not complete: ${error.message}`);
  });
  const total = performance.now() - started;
  const modelTime = running.model.requests.slice(before).reduce((sum, r) => sum + ((r.finishedAt ?? r.receivedAt) - r.receivedAt), 0);
  return total - modelTime;
}

async function turnOverhead(turns: number, cleanup: Cleanup): Promise<Row[]> {
  const servers = { tandem: await launch('tandem', cleanup), codex: await launch('codex', cleanup) };
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
  return [
    { name: '(b) overhead per turn, text reply', tandem: median(text.tandem), codex: median(text.codex), unit: 'ms', target: '≤ 0.2' },
    { name: '(b) overhead per turn, exec_command + apply_patch', tandem: median(tools.tandem), codex: median(tools.codex), unit: 'ms', target: '≤ 0.2' },
  ];
}

// ---- (c) thread/list over 10,000 rollouts ----

async function listing(count: number, rounds: number, cleanup: Cleanup): Promise<Row[]> {
  const model = cleanup.add(await new FakeModelServer().start(), (m) => m.stop());
  const tandemHome = makeTempHome({ baseUrl: model.baseUrl }).home;
  const codexHome = makeCodexHome(model.baseUrl);
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const options = { createdAt: new Date(base + i * 60_000), preview: `thread number ${i}`, provider: 'fake', cwd: '/work/project' };
    const { id } = await writeRollout(tandemHome, options);
    await writeRollout(codexHome, { ...options, id });
  }
  const rows: Row[] = [];
  const servers = { tandem: await launch('tandem', cleanup, { home: tandemHome, model }), codex: await launch('codex', cleanup, { home: codexHome, model }) };
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
  const note = `listed through ${listed.tandem} (Tandem) and ${listed.codex} (codex) threads; first call, cold: Tandem ${cold.tandem.toFixed(1)} ms (index rebuilt from the rollouts), codex ${cold.codex.toFixed(1)} ms`;
  rows.push({ name: `(c) thread/list, first page of ${count}`, tandem: median(first.tandem), codex: median(first.codex), unit: 'ms', target: '≤ 0.2', note });
  if (deep.tandem.length && deep.codex.length) rows.push({ name: `(c) thread/list, a deep page (${listed.tandem.toLocaleString('en')} in)`, tandem: median(deep.tandem), codex: median(deep.codex), unit: 'ms', target: '≤ 0.2' });
  return rows;
}

// ---- (d) memory after 100 turns ----

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function memory(turns: number, cleanup: Cleanup): Promise<Row[]> {
  const rss: Record<Kind, number> = { tandem: 0, codex: 0 };
  for (const kind of ['tandem', 'codex'] as const) {
    const running = await launch(kind, cleanup);
    const thread = await running.server.client.request('thread/start', { cwd: running.workspace });
    for (let i = 0; i < turns; i++) await timedTurn(running, thread.result.thread.id, [textReply(`reply number ${i}, with a little text to keep`)]);
    rss[kind] = rssOf(running.server.child.pid!);
    await running.server.close();
    await running.model.stop();
  }
  // Text turns record no checkpoint, so Tandem's spawn host (which starts git for checkpoints) is not running here.
  const note = 'the server process alone, after text turns; a session that records checkpoints also runs Tandem\'s spawn host, ~12 MiB of its own (PSS; 50 MiB RSS, 40 of it shared with the server)';
  return [{ name: `(d) resident memory after ${turns} turns`, tandem: rss.tandem, codex: rss.codex, unit: 'MiB', target: '≤ 1.5', note }];
}

export async function runVsCodexBench(scale: Scale): Promise<Row[]> {
  const q = scale.quick;
  const minutes = (n: number) => n * 60_000;
  return [
    ...(await rowsOf('(a) start → initialize', minutes(3), (cleanup) => startup(q ? 1 : 7, cleanup), scale.step)),
    ...(await rowsOf('(b) overhead per turn', minutes(5), (cleanup) => turnOverhead(q ? 1 : 15, cleanup), scale.step)),
    ...(await rowsOf('(c) thread/list', minutes(15), (cleanup) => listing(q ? 60 : 10_000, q ? 2 : 6, cleanup), scale.step)),
    ...(await rowsOf('(d) resident memory', minutes(5), (cleanup) => memory(q ? 3 : 100, cleanup), scale.step)),
    ...(await rowsOf('(d) retained heap in the extension host', minutes(5), () => retainedHeap(q ? 3 : 100), scale.step)),
    ...(await rowsOf('(f) streaming', minutes(5), (cleanup) => streaming(q ? 500 : 40_000, cleanup), scale.step)),
    ...(await rowsOf('(e) turn/steer', minutes(3), (cleanup) => steerLatency((kind) => launch(kind, cleanup), q ? 1 : 5).then((row) => [row]), scale.step)),
  ];
}

// ---- (d) the server's retained heap in the extension host ----

/**
 * In the extension host the server shares the heap with VS Code and other extensions: what it keeps after
 * `turns` turns of one thread, measured in a fresh node (bench/retainedHeap.ts) so nothing else of this run
 * is counted. No codex figure: codex does not run in-process.
 */
async function retainedHeap(turns: number): Promise<Row[]> {
  const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'retainedHeap.ts'), String(turns)], { cwd: REPO_ROOT, timeout: 240_000 });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { beforeMiB: number; afterMiB: number };
  const retained = result.afterMiB - result.beforeMiB;
  return [
    { name: `(d) retained heap in the extension host after ${turns} turns`, tandem: retained, codex: NaN, unit: 'MiB', target: '≤ 30 MB', note: `heap after a full GC: ${result.beforeMiB.toFixed(1)} MiB with the modules loaded, ${result.afterMiB.toFixed(1)} MiB with the server after ${turns} turns` },
  ];
}

// ---- (f) a long streamed reply ----

/** A reply of `deltas` small deltas: its turn's wall time on both servers, and Tandem's longest event-loop block. */
async function streaming(deltas: number, cleanup: Cleanup): Promise<Row[]> {
  const text = 'word '.repeat(deltas);
  const wall: Record<Kind, number> = { tandem: 0, codex: 0 };
  for (const kind of ['tandem', 'codex'] as const) {
    const running = await launch(kind, cleanup);
    const thread = await running.server.client.request('thread/start', { cwd: running.workspace });
    running.model.enqueue(textReply(text, { chunks: deltas }));
    const started = performance.now();
    const response = await running.server.client.request('turn/start', { threadId: thread.result.thread.id, input: [{ type: 'text', text: 'go' }] });
    await running.server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === response.result.turn.id);
    wall[kind] = performance.now() - started;
    await running.server.close();
  }
  // In this process, with the fake model yielding every 50 events, so that what blocks is the server.
  const model = cleanup.add(await new FakeModelServer().start(), (m) => m.stop());
  const temp = makeTempHome({ baseUrl: model.baseUrl, model: 'gpt-5.5' });
  const server = createTandemServer({ logger: silentLogger, home: temp.home });
  const client = cleanup.add(await startInProcess({ server, clientInfo: { name: 'bench', title: null, version: '1' } }), (c) => c.shutdown());
  const thread = (await client.request('thread/start', { cwd: temp.workspace })) as { thread: { id: string } };
  model.enqueue(textReply(text, { chunks: deltas, yieldEvery: 50 }));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  void (async () => {
    for await (const event of client.events()) if (event.kind === 'notification' && event.method === 'turn/completed') return finished();
  })();
  delay.enable();
  await client.request('turn/start', { threadId: thread.thread.id, input: [{ type: 'text', text: 'go' }] });
  await done;
  delay.disable();
  const blockMs = delay.max / 1e6;
  return [
    { name: `(f) a reply streamed as ${deltas.toLocaleString('en')} deltas, turn/start → turn/completed`, tandem: wall.tandem, codex: wall.codex, unit: 'ms', target: '≤ 1.0' },
    { name: `(f) longest event-loop block while it streams (in-process)`, tandem: blockMs, codex: NaN, unit: 'ms', target: '≤ 50 ms' },
  ];
}
