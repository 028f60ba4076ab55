// fuzzyFileSearch over a generated tree of 100,000 files: the first query (the file list is built) and a
// warm query (cached list), Tandem next to codex on the same tree.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeCodexHome, spawnCodexServer } from '../test/support/codexServer';
import type { SpawnedServer } from '../test/support/protocolClient';
import { median } from './stats';
import type { Cleanup, Row } from './steps';
import { initialize, spawnTandem, STEP_WAIT_MS } from './vsCodex';

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

type Kind = 'tandem' | 'codex';

/** A fresh server, initialized: its first search lists the tree. */
async function startServer(kind: Kind, home: string, cleanup: Cleanup): Promise<SpawnedServer> {
  const server = cleanup.add(kind === 'tandem' ? spawnTandem(home) : spawnCodexServer(makeCodexHome('http://127.0.0.1:9/v1')), (running) => running.close());
  server.client.waitMs = STEP_WAIT_MS;
  await initialize(server);
  return server;
}

/**
 * The first query is timed on fresh servers over several rounds, the order alternating, after one
 * untimed listing: a tree just written is still being flushed, and whoever went first paid for it.
 */
export async function runFileSearchBench(fileCount: number, rounds: number, cleanup: Cleanup): Promise<Row[]> {
  const root = cleanup.add(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-tree-')), (dir) => fs.rmSync(dir, { recursive: true, force: true }));
  generateTree(root, fileCount);
  fs.mkdirSync(path.join(root, '.git'));
  execFileSync('sync');
  fs.readdirSync(root, { recursive: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-fs-home-'));
  const first: Record<Kind, number[]> = { tandem: [], codex: [] };
  const warm: Record<Kind, number[]> = { tandem: [], codex: [] };
  const counts: Record<Kind, number> = { tandem: 0, codex: 0 };
  for (let round = 0; round < rounds; round++) {
    const order: Kind[] = round % 2 === 0 ? ['tandem', 'codex'] : ['codex', 'tandem'];
    for (const kind of order) {
      const server = await startServer(kind, home, cleanup);
      const cold = await timeSearch(server, root, 'billing handler');
      first[kind].push(cold.ms);
      counts[kind] = cold.count;
      for (const query of ['cache idx', 'journal_9', 'gateway delta']) warm[kind].push((await timeSearch(server, root, query)).ms);
      await server.close();
    }
  }
  return [
    { name: `fuzzyFileSearch, first query over ${fileCount.toLocaleString('en')} files`, tandem: median(first.tandem), codex: median(first.codex), unit: 'ms', target: '≤ 1.0', note: `median of ${rounds} fresh servers each; results: Tandem ${counts.tandem}, codex ${counts.codex}` },
    { name: 'fuzzyFileSearch, warm query', tandem: median(warm.tandem), codex: median(warm.codex), unit: 'ms', target: '≤ 0.25' },
  ];
}
