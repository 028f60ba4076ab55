// Checkpoints against the real git in temp folders: snapshot before and after a turn, list what the turn
// changed, restore (with conflicts), undo a restore, and the bounds and errors.
import { strict as assert } from 'node:assert';
import { execFileSync, execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { CheckpointError } from '../../src/core/checkpoints/errors';
import { ShadowRepo } from '../../src/core/checkpoints/shadowRepo';
import { read, state, write } from '../support/workspaceFiles';

const THREAD = 'thread-1';

function userGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=User', '-c', 'user.email=user@example.com', '-c', 'init.defaultBranch=main', '--no-optional-locks', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The names of the files a snapshot holds, read straight from the shadow repository. */
function snapshotFiles(repo: ShadowRepo, sha: string): string[] {
  return execFileSync('git', [`--git-dir=${repo.gitDir}`, 'ls-tree', '-r', '-z', '--name-only', sha], { encoding: 'utf8' }).split('\0').filter(Boolean).sort();
}

describe('integration: checkpoints', function () {
  this.timeout(60_000);
  let root: string;
  let home: string;
  let ws: string;
  let store: CheckpointStore;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-checkpoints-'));
    home = path.join(root, 'home');
    ws = path.join(root, 'ws');
    fs.mkdirSync(ws, { recursive: true });
    store = new CheckpointStore(home);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('restores the files a patch changed, created and deleted', async () => {
    write(ws, 'src/app.ts', 'one\ntwo\nthree\n');
    write(ws, 'old.md', 'old\n');
    const initial = state(ws);

    const { uncovered } = await store.recordFiles(THREAD, 'turn-1', ws, [path.join(ws, 'src/app.ts'), 'src/new.ts', 'old.md', '/elsewhere/x.txt']);
    assert.deepEqual(uncovered, ['/elsewhere/x.txt']);
    write(ws, 'src/app.ts', 'one\n2\nthree\nfour\n');
    write(ws, 'src/new.ts', 'export {};\n');
    fs.rmSync(path.join(ws, 'old.md'));
    const finished = await store.finish(THREAD, 'turn-1');

    assert.deepEqual(
      finished?.files.map((f) => [f.path, f.status, f.additions, f.deletions]).sort(),
      [
        ['old.md', 'deleted', 0, 1],
        ['src/app.ts', 'modified', 2, 1],
        ['src/new.ts', 'added', 1, 0],
      ],
    );
    const plan = await store.planRestore(THREAD, 'turn-1');
    assert.deepEqual([plan.write, plan.recreate, plan.delete, plan.conflicts], [['src/app.ts'], ['old.md'], ['src/new.ts'], []]);
    const { result } = await store.restore(THREAD, 'turn-1');
    assert.deepEqual(result.failed, []);
    assert.deepEqual(state(ws), initial);
  });

  it('restores after commands that create, delete, rename and chmod files', async () => {
    write(ws, 'run.sh', '#!/bin/sh\necho hi\n');
    write(ws, 'gone.txt', 'bye\n');
    write(ws, 'lib/a.ts', 'export const a = 1;\nexport const b = 2;\nexport const c = 3;\n');
    fs.symlinkSync('lib/a.ts', path.join(ws, 'link-to-a'));
    const initial = state(ws);

    await store.begin(THREAD, 'turn-1', ws);
    execSync('mkdir -p gen/deep && echo made > gen/deep/new.txt && rm gone.txt && mv lib/a.ts lib/b.ts && chmod +x run.sh && ln -s run.sh run-link && rm link-to-a', { cwd: ws });
    const finished = await store.finish(THREAD, 'turn-1');

    const byPath = new Map(finished!.files.map((f) => [f.path, f]));
    assert.equal(byPath.get('gen/deep/new.txt')?.status, 'added');
    assert.equal(byPath.get('gone.txt')?.status, 'deleted');
    assert.equal(byPath.get('lib/b.ts')?.status, 'renamed');
    assert.equal(byPath.get('lib/b.ts')?.oldPath, 'lib/a.ts');
    assert.deepEqual([byPath.get('run.sh')?.status, byPath.get('run.sh')?.additions, byPath.get('run.sh')?.deletions], ['modified', 0, 0], 'a mode change');
    assert.equal(byPath.get('run-link')?.status, 'added');

    await store.restore(THREAD, 'turn-1');
    assert.deepEqual(state(ws), initial, 'content, executable bit, symlinks and no leftover directories');
  });

  it('keeps binary files and line endings byte for byte', async () => {
    const binary = Buffer.from([0, 1, 2, 255, 0, 13, 10, 0x89, 0x50, 0x4e, 0x47]);
    write(ws, 'image.bin', binary);
    write(ws, 'crlf.txt', 'a\r\nb\r\n');
    write(ws, '.gitattributes', '* text=auto\n*.txt eol=lf\n');
    const initial = state(ws);

    await store.begin(THREAD, 'turn-1', ws);
    write(ws, 'image.bin', Buffer.from([9, 0, 9]));
    write(ws, 'crlf.txt', 'a\r\nb\r\nc\r\n');
    const finished = await store.finish(THREAD, 'turn-1');
    assert.deepEqual(
      finished!.files.map((f) => [f.path, f.binary]).sort(),
      [
        ['crlf.txt', false],
        ['image.bin', true],
      ],
    );
    await store.restore(THREAD, 'turn-1');
    assert.deepEqual(state(ws), initial);
    assert.deepEqual(fs.readFileSync(path.join(ws, 'image.bin')), binary);
    assert.equal(read(ws, 'crlf.txt'), 'a\r\nb\r\n');
  });

  it('never snapshots or restores gitignored files', async () => {
    write(ws, '.gitignore', 'build/\n*.log\n');
    write(ws, 'build/out.js', 'built 1\n');
    write(ws, 'debug.log', 'log 1\n');
    write(ws, 'main.c', 'int main;\n');
    write(ws, 'notes.tmp', 'snapshotted once\n');
    // A nested repository is left out like the workspace's own .git.
    write(ws, 'vendor/lib/lib.c', 'lib\n');
    userGit(path.join(ws, 'vendor/lib'), 'init', '-q');
    const repo = await store.repo(ws);
    await repo.snapshot();
    // Ignored after it was snapshotted: from then on it is left out.
    fs.appendFileSync(path.join(ws, '.gitignore'), '*.tmp\n');

    const checkpoint = await store.begin(THREAD, 'turn-1', ws);
    assert.deepEqual(snapshotFiles(repo, checkpoint.before), ['.gitignore', 'main.c']);
    write(ws, 'build/out.js', 'built 2\n');
    write(ws, 'build/extra.js', 'extra\n');
    write(ws, 'debug.log', 'log 2\n');
    write(ws, 'main.c', 'int main(void);\n');
    write(ws, 'notes.tmp', 'changed by the turn\n');
    const finished = await store.finish(THREAD, 'turn-1');
    assert.deepEqual(
      finished!.files.map((f) => f.path),
      ['main.c'],
    );

    await store.restore(THREAD, 'turn-1');
    assert.equal(read(ws, 'main.c'), 'int main;\n');
    assert.equal(read(ws, 'build/out.js'), 'built 2\n', 'gitignored: left as the turn made it');
    assert.equal(read(ws, 'build/extra.js'), 'extra\n');
    assert.equal(read(ws, 'debug.log'), 'log 2\n');
    assert.equal(read(ws, 'notes.tmp'), 'changed by the turn\n');
  });

  it("records gitignored files a patch changes, and leaves the workspace's own git repository alone", async () => {
    userGit(ws, 'init', '-q');
    write(ws, '.gitignore', '.env\n');
    write(ws, 'tracked.txt', 'v1\n');
    userGit(ws, 'add', '.');
    userGit(ws, 'commit', '-q', '-m', 'first');
    write(ws, 'tracked.txt', 'v2 staged\n');
    userGit(ws, 'add', 'tracked.txt');
    write(ws, 'untracked.txt', 'mine\n');
    write(ws, '.env', 'SECRET=1\n');
    fs.appendFileSync(path.join(ws, '.git', 'info', 'exclude'), 'scratch/\n');
    write(ws, 'scratch/notes.txt', 'excluded by the repository\n');
    const statusBefore = userGit(ws, 'status', '--porcelain', '--ignored');
    const gitBefore = state(path.join(ws, '.git'), false);
    const initial = state(ws);

    await store.recordFiles(THREAD, 'turn-1', ws, ['.env', '.local.env']);
    write(ws, '.env', 'SECRET=2\n');
    write(ws, '.local.env', 'NEW=1\n');
    fs.appendFileSync(path.join(ws, '.gitignore'), '.local.env\n');
    write(ws, 'tracked.txt', 'v3 by the agent\n');
    write(ws, 'scratch/notes.txt', 'changed\n');
    const finished = await store.finish(THREAD, 'turn-1');
    assert.deepEqual(finished!.files.map((f) => f.path).sort(), ['.env', '.gitignore', '.local.env', 'tracked.txt']);
    assert.ok(!snapshotFiles(await store.repo(ws), finished!.after!).some((p) => p === '.git' || p.startsWith('.git/')), 'no .git in a snapshot');

    await store.restore(THREAD, 'turn-1');
    assert.equal(read(ws, 'scratch/notes.txt'), 'changed\n', "excluded by the repository's info/exclude: untouched");
    write(ws, 'scratch/notes.txt', 'excluded by the repository\n');
    assert.deepEqual(state(ws), initial);
    assert.equal(userGit(ws, 'status', '--porcelain', '--ignored'), statusBefore);
    assert.deepEqual(state(path.join(ws, '.git'), false), gitBefore);
  });

  it('reports a file changed after the turn as a conflict and overwrites it only when asked', async () => {
    write(ws, 'a.txt', 'a before\n');
    write(ws, 'b.txt', 'b before\n');
    write(ws, 'c.txt', 'c before\n');
    await store.begin(THREAD, 'turn-1', ws);
    write(ws, 'a.txt', 'a by turn\n');
    write(ws, 'b.txt', 'b by turn\n');
    fs.rmSync(path.join(ws, 'c.txt'));
    write(ws, 'd.txt', 'd by turn\n');
    await store.finish(THREAD, 'turn-1');
    write(ws, 'a.txt', 'a by user\n');
    write(ws, 'c.txt', 'c by user\n');
    write(ws, 'd.txt', 'd by user\n');

    const plan = await store.planRestore(THREAD, 'turn-1');
    assert.deepEqual(plan.write, ['b.txt']);
    assert.deepEqual(
      plan.conflicts.map((c) => [c.path, c.action, c.now]).sort(),
      [
        ['a.txt', 'write', 'modified'],
        ['c.txt', 'recreate', 'added'],
        ['d.txt', 'delete', 'modified'],
      ],
    );
    const first = await store.restore(THREAD, 'turn-1');
    assert.deepEqual(first.result.restored, ['b.txt']);
    assert.deepEqual([read(ws, 'a.txt'), read(ws, 'b.txt'), read(ws, 'c.txt'), read(ws, 'd.txt')], ['a by user\n', 'b before\n', 'c by user\n', 'd by user\n']);

    const second = await store.restore(THREAD, 'turn-1', { overwrite: ['a.txt', 'd.txt'] });
    assert.deepEqual(second.result.restored.sort(), ['a.txt', 'd.txt']);
    assert.deepEqual(second.result.conflicts.map((c) => c.path), ['c.txt']);
    assert.equal(read(ws, 'a.txt'), 'a before\n');
    assert.equal(fs.existsSync(path.join(ws, 'd.txt')), false);
    assert.equal(read(ws, 'c.txt'), 'c by user\n');
  });

  it('undoes a restore: restoring the restore gives back the state the turn left', async () => {
    write(ws, 'keep.txt', 'before\n');
    write(ws, 'rm.txt', 'to be removed\n');
    await store.begin(THREAD, 'turn-1', ws);
    write(ws, 'keep.txt', 'after\n');
    fs.rmSync(path.join(ws, 'rm.txt'));
    write(ws, 'dir/new.txt', 'new\n', 0o755);
    await store.finish(THREAD, 'turn-1');
    const postTurn = state(ws);

    const { checkpoint } = await store.restore(THREAD, 'turn-1');
    assert.equal(checkpoint.kind, 'restore');
    assert.notDeepEqual(state(ws), postTurn);
    assert.deepEqual(checkpoint.files.map((f) => [f.path, f.status]).sort(), [
      ['dir/new.txt', 'deleted'],
      ['keep.txt', 'modified'],
      ['rm.txt', 'added'],
    ]);
    await store.restore(THREAD, checkpoint.turnId);
    assert.deepEqual(state(ws), postTurn);
  });

  it('restores files to before a turn and every later one', async () => {
    write(ws, 'f.txt', '0\n');
    const initial = state(ws);
    for (const turn of ['t1', 't2', 't3']) {
      await store.begin(THREAD, turn, ws);
      write(ws, 'f.txt', `${turn}\n`);
      write(ws, `${turn}.txt`, 'x\n');
      await store.finish(THREAD, turn);
    }
    const plan = await store.planRestore(THREAD, 't2', { includeLater: true });
    assert.deepEqual([plan.write, plan.delete.sort()], [['f.txt'], ['t2.txt', 't3.txt']]);
    await store.restore(THREAD, 't1', { includeLater: true });
    assert.deepEqual(state(ws), initial);
  });

  it('keeps the checkpoints across a new store', async () => {
    write(ws, 'a.txt', 'one\n');
    await store.begin(THREAD, 'turn-1', ws);
    write(ws, 'a.txt', 'two\n');
    const finished = await store.finish(THREAD, 'turn-1');

    const reopened = new CheckpointStore(home);
    assert.deepEqual(await reopened.list(THREAD), [finished]);
    assert.deepEqual(await reopened.list('another-thread'), []);
    await reopened.restore(THREAD, 'turn-1');
    assert.equal(read(ws, 'a.txt'), 'one\n');
    assert.equal((await new CheckpointStore(home).list(THREAD)).length, 2, 'the restore is recorded too');
  });

  it('gives the same snapshot for an unchanged workspace and diffs against the worktree', async () => {
    write(ws, 'a.txt', 'one\n');
    const repo = await ShadowRepo.open(home, ws);
    const first = await repo.snapshot();
    assert.equal((await repo.snapshot()).sha, first.sha);
    assert.deepEqual(await repo.diff(first.sha, 'worktree'), []);
    write(ws, 'a.txt', 'one\ntwo\n');
    assert.deepEqual(await repo.diff(first.sha, 'worktree'), [{ path: 'a.txt', status: 'modified', additions: 1, deletions: 0, binary: false }]);
    assert.notEqual((await repo.snapshot()).sha, first.sha);
    assert.equal(repo.gitDir.startsWith(path.join(home, 'checkpoints') + path.sep), true);
  });

  it('runs concurrent operations one at a time, through a symlinked path and a stray GIT_DIR', async () => {
    write(ws, 'a.txt', 'a\n');
    const link = path.join(root, 'link');
    fs.symlinkSync(ws, link);
    const saved = { dir: process.env.GIT_DIR, index: process.env.GIT_INDEX_FILE };
    process.env.GIT_DIR = path.join(root, 'not-a-repo');
    process.env.GIT_INDEX_FILE = path.join(root, 'not-an-index');
    try {
      const [first, second] = await Promise.all([store.begin(THREAD, 'turn-1', link), store.recordFiles(THREAD, 'turn-1', link, [path.join(link, 'a.txt')])]);
      assert.equal(first.before, second.checkpoint.before, 'one checkpoint for the turn');
      assert.equal(first.workspace, fs.realpathSync(ws));
      assert.deepEqual(second.uncovered, []);
      const repo = await store.repo(link);
      const shas = await Promise.all(
        Array.from({ length: 6 }, (_, i) => {
          write(ws, `n${i}.txt`, `${i}\n`);
          return repo.snapshot();
        }),
      );
      assert.equal(new Set(shas.map((s) => s.sha)).size, 1, 'every snapshot saw the same files; no index.lock clash');
      write(ws, 'a.txt', 'changed\n');
      const finished = await store.finish(THREAD, 'turn-1');
      assert.equal(finished!.files.length, 7);
      assert.equal(fs.existsSync(path.join(root, 'not-a-repo')), false);
    } finally {
      for (const [key, value] of [['GIT_DIR', saved.dir], ['GIT_INDEX_FILE', saved.index]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('refuses a workspace over the size bound with a clear message; patches are still recorded', async () => {
    for (let i = 0; i < 12; i++) write(ws, `f${i}.txt`, `${i}\n`);
    const small = new CheckpointStore(home, { limits: { maxFiles: 10 } });
    await assert.rejects(small.begin(THREAD, 'turn-1', ws), (error: unknown) => {
      assert.ok(error instanceof CheckpointError);
      assert.equal(error.kind, 'tooLarge');
      assert.equal(error.message, `${fs.realpathSync(ws)} is too large to snapshot (more than 10 files; the limit is 10 files and 500 MB); changes made by commands in this turn cannot be undone`);
      return true;
    });
    const bytes = new CheckpointStore(home, { limits: { maxBytes: 20 } });
    await assert.rejects(bytes.begin(THREAD, 'turn-1', ws), /\(12 files, 0\.0 MB; the limit is 50,000 files and 0\.0 MB\)/);

    const { checkpoint } = await small.recordFiles(THREAD, 'turn-1', ws, ['f1.txt', 'added.txt']);
    assert.equal(checkpoint.scope, 'files');
    assert.match(checkpoint.limitation ?? '', /too large to snapshot/);
    write(ws, 'f1.txt', 'patched\n');
    write(ws, 'added.txt', 'new\n');
    write(ws, 'f2.txt', 'by a command\n');
    const finished = await small.finish(THREAD, 'turn-1');
    assert.deepEqual(finished!.files.map((f) => [f.path, f.status]).sort(), [
      ['added.txt', 'added'],
      ['f1.txt', 'modified'],
    ]);
    await small.restore(THREAD, 'turn-1');
    assert.equal(read(ws, 'f1.txt'), '1\n');
    assert.equal(fs.existsSync(path.join(ws, 'added.txt')), false);
    assert.equal(read(ws, 'f2.txt'), 'by a command\n', 'not recorded, so not touched');
  });

  it('leaves a file over the per-file bound out of snapshots and never restores over it', async () => {
    write(ws, 'small.txt', 'small\n');
    write(ws, 'big.bin', Buffer.alloc(4096, 1));
    const bounded = new CheckpointStore(home, { limits: { maxFileBytes: 1024 } });
    const checkpoint = await bounded.begin(THREAD, 'turn-1', ws);
    assert.deepEqual(checkpoint.skipped, [{ path: 'big.bin', bytes: 4096, reason: 'tooLarge' }]);
    write(ws, 'small.txt', 'changed\n');
    write(ws, 'big.bin', Buffer.alloc(8192, 2));
    write(ws, 'grew.bin', Buffer.alloc(10, 3));
    await bounded.finish(THREAD, 'turn-1');
    write(ws, 'grew.bin', Buffer.alloc(2048, 3));

    const plan = await bounded.planRestore(THREAD, 'turn-1');
    assert.deepEqual(plan.conflicts, [{ path: 'grew.bin', action: 'delete', now: 'unverifiable' }]);
    await bounded.restore(THREAD, 'turn-1');
    assert.equal(read(ws, 'small.txt'), 'small\n');
    assert.deepEqual(fs.readFileSync(path.join(ws, 'big.bin')), Buffer.alloc(8192, 2));
    assert.equal(fs.statSync(path.join(ws, 'grew.bin')).size, 2048);
  });

  it('fails clearly: not a directory, git missing, a timeout, an unknown checkpoint', async () => {
    write(ws, 'file.txt', 'x\n');
    await assert.rejects(store.begin(THREAD, 'turn-1', path.join(ws, 'file.txt')), (error: unknown) => error instanceof CheckpointError && error.kind === 'notADirectory');
    await assert.rejects(store.begin(THREAD, 'turn-1', path.join(root, 'missing')), /is not a directory/);

    const repo = await ShadowRepo.open(home, ws);
    const savedPath = process.env.PATH;
    process.env.PATH = path.join(root, 'no-bin');
    try {
      await assert.rejects(repo.snapshot(), (error: unknown) => error instanceof CheckpointError && error.kind === 'gitMissing' && /git was not found/.test(error.message));
    } finally {
      process.env.PATH = savedPath;
    }
    const hasty = await ShadowRepo.open(home, ws, { timeoutMs: 1 });
    await assert.rejects(hasty.snapshot(), (error: unknown) => error instanceof CheckpointError && error.kind === 'timeout');
    await assert.rejects(store.planRestore(THREAD, 'no-such-turn'), /no checkpoint for turn no-such-turn/);
    await assert.rejects(repo.diff('0123456789abcdef0123456789abcdef01234567', 'worktree'), (error: unknown) => error instanceof CheckpointError && error.kind === 'invalid');
    await assert.rejects(store.list('../escape'), /not a thread id/);
    fs.rmSync(ws, { recursive: true });
    await assert.rejects(repo.snapshot(), (error: unknown) => error instanceof CheckpointError && error.kind === 'notADirectory' && /no longer exists/.test(error.message));
  });
});
