// fuzzyFileSearch over a generated tree of 100,000 files: the first query (the file list is built) and a
// warm query (cached list), Tandem next to codex on the same tree.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeCodexHome, spawnCodexServer } from '../test/support/codexServer';
import { REPO_ROOT, spawnJsonl, type SpawnedServer } from '../test/support/protocolClient';
import { median } from './stats';
import type { Cleanup, Row } from './steps';

const WORDS = ['alpha', 'billing', 'cache', 'delta', 'engine', 'format', 'gateway', 'handler', 'index', 'journal'];

function generateTree(root: string, files: number): void {
  const perDir = 500;
  const made = new Set<string>();
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, WORDS[i % 10]!, `${WORDS[Math.floor(i / 10) % 10]}_${Math.floor(i / perDir)}`);
    if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
    fs.writeFileSync(path.join(dir, `${WORDS[(i * 7) % 10]}_${i}.ts`), '');
  }
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
}

async function timeSearch(server: SpawnedServer, root: string, query: string): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  const response = await server.client.request('fuzzyFileSearch', { query, roots: [root], cancellationToken: null }, undefined);
  if (response.error) throw new Error(`fuzzyFileSearch failed: ${response.error.message}`);
  return { ms: performance.now() - started, count: response.result.files.length };
}

export async function runFileSearchBench(fileCount: number, warmRounds: number, cleanup: Cleanup): Promise<Row[]> {
  const root = cleanup.add(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-tree-')), (dir) => fs.rmSync(dir, { recursive: true, force: true }));
  generateTree(root, fileCount);
  fs.mkdirSync(path.join(root, '.git'));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-fs-home-'));
  const servers: Record<'tandem' | 'codex', SpawnedServer> = {
    tandem: spawnJsonl(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'app-server'], { env: { TANDEM_HOME: home, TANDEM_LOG: 'error' }, speaksAppServer: false }),
    codex: spawnCodexServer(makeCodexHome('http://127.0.0.1:9/v1')),
  };
  const first: Record<string, number> = {};
  const warm: Record<string, number[]> = { tandem: [], codex: [] };
  const counts: Record<string, number> = {};
  for (const [kind, server] of Object.entries(servers)) {
    cleanup.add(server, (running) => running.close());
    server.client.waitMs = 120_000;
    await server.client.request('initialize', { clientInfo: { name: 'tandem_bench', title: null, version: '1' } }, undefined);
    server.client.send({ method: 'initialized' });
    const cold = await timeSearch(server, root, 'billing handler');
    first[kind] = cold.ms;
    counts[kind] = cold.count;
  }
  for (let round = 0; round < warmRounds; round++) {
    for (const [kind, server] of Object.entries(servers)) warm[kind]!.push((await timeSearch(server, root, ['cache idx', 'journal_9', 'gateway delta'][round % 3]!)).ms);
  }
  return [
    { name: `fuzzyFileSearch, first query over ${fileCount.toLocaleString('en')} files`, tandem: first.tandem!, codex: first.codex!, unit: 'ms', note: `results: Tandem ${counts.tandem}, codex ${counts.codex}` },
    { name: 'fuzzyFileSearch, warm query', tandem: median(warm.tandem!), codex: median(warm.codex!), unit: 'ms' },
  ];
}
