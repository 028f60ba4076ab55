import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { listDirectory, listPrefix } from '../../../../src/core/search/directoryListing';
import { FileListCache } from '../../../../src/core/search/fileList';
import { walkFiles, type WalkOptions } from '../../../../src/core/search/fileWalker';
import { ancestorLevels } from '../../../../src/core/search/ignoreScopes';
import { LevelCodec, TaskRun, taskMessage, taskOrder, type TaskMessage } from '../../../../src/core/search/walkTasks';
import { runningWalkerThreads } from '../../../../src/core/search/walkerThread';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/** A tree with ignore files at several depths and a nested repository, so levels cross between the threads. */
function makeTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-walk-threads-'));
  const write = (rel: string, text = '') => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('.gitignore', '*.log\nbuild/\n');
  for (let a = 0; a < 6; a++) {
    for (let b = 0; b < 8; b++) {
      for (let c = 0; c < 5; c++) {
        const dir = `t${a}/m${b}/l${c}`;
        write(`${dir}/f${a}${b}${c}.ts`);
        write(`${dir}/g${c}.log`);
        write(`${dir}/secret${c}.txt`);
        if (c === 2) write(`${dir}/build/out.js`);
      }
    }
  }
  write('t2/m3/.gitignore', '!*.log\n');
  write('t4/.ignore', 'secret*\n');
  write('t4/m5/l1/.rgignore', '!secret1.txt\n');
  fs.mkdirSync(path.join(root, 't1/m1/.git'), { recursive: true });
  write('t1/m1/.gitignore', 'f*.ts\n');
  return root;
}

/** The worker bundle, built from source as esbuild.mjs builds it. */
function buildWorker(dir: string): string {
  const outfile = path.join(dir, 'fileWalkerWorker.js');
  esbuild.buildSync({ entryPoints: [path.join(REPO, 'src/core/search/fileWalkerWorker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
  return outfile;
}

function script(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function threadsEnd(): Promise<void> {
  for (let i = 0; i < 200 && runningWalkerThreads() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(runningWalkerThreads(), 0, 'the walker thread ended');
}

/** A deterministic pseudo-random sequence. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/**
 * Two threads simulated in turns chosen at random: each walks its task and, when out of work, takes part of
 * the other's; tasks and levels cross as messages do (cloned). The files come out in `taskOrder`.
 */
function simulate(root: string, seed: number): string[] {
  const next = random(seed);
  const scope = { root, global: undefined };
  const cap = 1_000_000;
  const threads = [0, 1].map((first) => ({ codec: new LevelCodec(first), lastId: first, current: undefined as TaskRun | undefined }));
  threads[0]!.current = new TaskRun(0, [{ dir: '', level: ancestorLevels(root) }], cap);
  const files = new Map<number, string[]>();
  const stolen = new Map<number, readonly number[]>();
  while (threads.some((thread) => thread.current)) {
    const thread = threads[next() < 0.5 ? 0 : 1]!;
    const other = threads[thread === threads[0] ? 1 : 0]!;
    if (!thread.current) {
      if (!other.current?.canGive()) continue;
      other.lastId += 2;
      const message = structuredClone(taskMessage(other.lastId, other.current.give(other.lastId), other.codec)) as TaskMessage;
      thread.current = new TaskRun(message.id, thread.codec.decode(message), cap);
      continue;
    }
    const task = thread.current;
    const names = task.next(scope);
    for (const name of names) (files.get(task.id) ?? files.set(task.id, []).get(task.id)!).push(task.prefix + name);
    if (task.done) {
      stolen.set(task.id, task.stolen);
      thread.current = undefined;
    }
  }
  return [0, ...taskOrder(stolen.get(0)!, (id) => stolen.get(id)!)].flatMap((id) => files.get(id) ?? []);
}

describe('core/search/fileWalker on two threads', function () {
  this.timeout(60_000);
  let work: string;
  let worker: string;
  let root: string;
  let alone: string[];

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-walker-script-'));
    worker = buildWorker(work);
    root = makeTree();
    alone = await walkFiles(root, { maxFiles: 1_000_000, globalIgnore: null, walkerScript: false });
  });

  it('the tree exercises the rules, and one thread alone lists what ripgrep lists', () => {
    const rg = execFileSync('rg', ['--files', '--hidden', '--glob', '!.git', '--no-require-git', '--no-messages'], { cwd: root, env: { ...process.env, HOME: work, XDG_CONFIG_HOME: work }, encoding: 'utf8' });
    assert.deepEqual([...alone].sort(), rg.split('\n').filter(Boolean).sort());
    for (const file of ['t2/m3/l0/g0.log', 't4/m5/l1/secret1.txt', 't1/m1/l0/secret0.txt']) assert.ok(alone.includes(file), file);
    for (const file of ['t0/m0/l0/g0.log', 't4/m0/l0/secret0.txt', 't1/m1/l0/f110.ts', 't0/m0/l2/build/out.js']) assert.ok(!alone.includes(file), file);
  });

  it('splits the walk between the threads and keeps one thread’s list, in its order; batches hand each file over once', async () => {
    for (let round = 0; round < 3; round++) {
      const batches: string[] = [];
      let threadFiles = -1;
      const options: WalkOptions = { maxFiles: 1_000_000, globalIgnore: null, walkerScript: worker, threadFromStart: true, onBatch: (paths) => batches.push(...paths), onStats: (stats) => (threadFiles = stats.threadFiles) };
      const shared = await walkFiles(root, options);
      assert.deepEqual(shared, alone);
      assert.deepEqual([...batches].sort(), [...alone].sort());
      assert.ok(threadFiles > 0 && threadFiles < alone.length, `the second thread listed ${threadFiles} of ${alone.length}`);
    }
    await threadsEnd();
  });

  it('stops at maxFiles with the list one thread gives', async () => {
    for (const maxFiles of [1, 37, Math.floor(alone.length / 2), alone.length - 1]) {
      const batches: string[] = [];
      const cut = await walkFiles(root, { maxFiles, globalIgnore: null, walkerScript: worker, threadFromStart: true, onBatch: (paths) => batches.push(...paths) });
      assert.deepEqual(cut, alone.slice(0, maxFiles), `maxFiles ${maxFiles}`);
      // Every file of the list, once; files beyond the cut may have been handed over too (the list then says so by its length).
      assert.equal(new Set(batches).size, batches.length, 'no file twice');
      for (const file of cut) assert.ok(batches.includes(file), file);
    }
    await threadsEnd();
  });

  it('puts the parts taken from tasks back in order, however the turns fall and levels cross', async () => {
    for (let seed = 1; seed <= 20; seed++) assert.deepEqual(simulate(root, seed), alone, `seed ${seed}`);
    // The directory listing the tasks share matches the walk's prefixes.
    assert.equal(listPrefix('a/b'), path.sep === '\\' ? 'a\\b\\' : 'a/b/');
    assert.deepEqual(listDirectory({ root, global: undefined }, { dir: 'missing', level: undefined }, []), []);
  });

  it('walks alone when the thread cannot start, and does not try that script again', async () => {
    for (const broken of [script(work, 'throws.js', 'throw new Error("cannot start");'), path.join(work, 'missing.js')]) {
      let threadFiles = -1;
      let threadsSeen = 0;
      const options: WalkOptions = { maxFiles: 1_000_000, globalIgnore: null, walkerScript: broken, threadFromStart: true, onStats: (stats) => (threadFiles = stats.threadFiles) };
      assert.deepEqual(await walkFiles(root, options), alone);
      assert.equal(threadFiles, 0);
      await threadsEnd();
      const again = await walkFiles(root, { ...options, onBatch: () => (threadsSeen = Math.max(threadsSeen, runningWalkerThreads())) });
      assert.deepEqual(again, alone);
      assert.equal(threadsSeen, 0, 'no thread for a script that failed');
    }
  });

  it('walks here what a thread that died had been given, handing nothing over twice', async () => {
    // Asks for work as the real worker does, then ends on being given some.
    const dies = script(work, 'dies.js', "const { workerData } = require('node:worker_threads');\nworkerData.port.once('message', () => process.exit(3));\nworkerData.port.postMessage({ kind: 'idle' });\n");
    let threadFiles = -1;
    const listed = await walkFiles(root, { maxFiles: 1_000_000, globalIgnore: null, walkerScript: dies, threadFromStart: true, onStats: (stats) => (threadFiles = stats.threadFiles) });
    assert.deepEqual(listed, alone);
    assert.equal(threadFiles, 0);
    // The real worker, ending once it has sent its first files.
    const diesLater = script(work, 'diesLater.js', `const { workerData } = require('node:worker_threads');\nconst post = workerData.port.postMessage.bind(workerData.port);\nworkerData.port.postMessage = (message) => { post(message); if (message.kind === 'files') process.exit(4); };\nrequire(${JSON.stringify(worker)});\n`);
    const batches: string[] = [];
    const again = await walkFiles(root, { maxFiles: 1_000_000, globalIgnore: null, walkerScript: diesLater, threadFromStart: true, onBatch: (paths) => batches.push(...paths), onStats: (stats) => (threadFiles = stats.threadFiles) });
    assert.deepEqual(again, alone);
    assert.ok(threadFiles > 0, 'the thread handed files over before it ended');
    assert.deepEqual([...batches].sort(), [...alone].sort());
    await threadsEnd();
  });

  it('stops when aborted, its thread too, and a disposed cache aborts its walks', async () => {
    const controller = new AbortController();
    let batches = 0;
    const walk = walkFiles(root, { maxFiles: 1_000_000, globalIgnore: null, walkerScript: worker, threadFromStart: true, signal: controller.signal, onBatch: () => (batches++, controller.abort()) });
    await assert.rejects(walk, { name: 'AbortError' });
    assert.equal(batches, 1, 'nothing more is handed over once aborted');
    await threadsEnd();

    const cache = new FileListCache(undefined, 2_000, (at, options) => walkFiles(at, { ...options, globalIgnore: null, walkerScript: worker, threadFromStart: true }));
    const listing = cache.files(root, () => cache.dispose());
    await assert.rejects(listing, { name: 'AbortError' });
    await threadsEnd();
  });
});
