// apply_patch's writes from inside the sandbox, against real bubblewrap: the same result as writePlan, and
// the kernel refusing what lies outside the writable roots — even through a folder swapped for a link
// after the plan was checked. bwrap missing is a failure here, not a skip: CI installs it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SandboxPolicy } from '../../src/protocol';
import { detectSandbox, resetSandboxDetection, type SandboxSupport } from '../../src/core/exec/sandbox';
import { PatchApplyError, planPatch, writePlan, type PlannedChange } from '../../src/core/tools/applyPatch/applier';
import { parsePatch } from '../../src/core/tools/applyPatch/parser';
import { canWriteInSandbox, writePlanInSandbox } from '../../src/core/tools/applyPatch/sandboxedWrite';

describe('integration: apply_patch writes inside the sandbox', function () {
  if (process.platform !== 'linux') return;
  this.timeout(20_000);

  let support: SandboxSupport;
  let base: string;
  let workspace: string;
  let outside: string;
  let home: string;
  const savedCodexHome = process.env.CODEX_HOME;

  const policy: SandboxPolicy = { type: 'workspaceWrite', writableRoots: [], networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true };
  const write = (plan: readonly PlannedChange[], cwd = workspace) => writePlanInSandbox(plan, policy, cwd, { home, support });
  const plan = (text: string, cwd = workspace) => planPatch(parsePatch(`*** Begin Patch\n${text}*** End Patch\n`), cwd);

  /** Every entry below dir: files with content and mode, folders, links. */
  const tree = (dir: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const walk = (rel: string) => {
      for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const r = path.join(rel, entry.name);
        const full = path.join(dir, r);
        const mode = (fs.lstatSync(full).mode & 0o7777).toString(8);
        if (entry.isSymbolicLink()) out[r] = `link -> ${fs.readlinkSync(full)}`;
        else if (entry.isDirectory()) {
          out[r] = `dir ${mode}`;
          walk(r);
        } else out[r] = `file ${mode} ${fs.readFileSync(full).toString('base64')}`;
      }
    };
    walk('');
    return out;
  };
  const tempFiles = (dir: string) => Object.keys(tree(dir)).filter((f) => f.includes('.tandem-'));
  const rejectsWith = async (promise: Promise<void>, ...patterns: RegExp[]) => {
    const error = await promise.then(
      () => assert.fail('the write should have been refused'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof PatchApplyError, `expected a PatchApplyError, got ${String(error)}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return error;
  };

  before(() => {
    resetSandboxDetection();
    support = detectSandbox();
    assert.equal(support.kind, 'bwrap', `bubblewrap with a seccomp filter must work here: ${JSON.stringify(support)}`);
  });

  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-sbw-')));
    workspace = path.join(base, 'workspace');
    outside = path.join(base, 'outside');
    home = path.join(base, 'home');
    fs.mkdirSync(workspace);
    fs.mkdirSync(outside);
    fs.mkdirSync(home);
    process.env.CODEX_HOME = path.join(base, 'codex-home');
  });

  afterEach(() => {
    if (savedCodexHome === undefined) delete process.env.CODEX_HOME;
    else process.env.CODEX_HOME = savedCodexHome;
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('runs only for a restricted policy with a sandbox', () => {
    assert.equal(canWriteInSandbox(policy, support), true);
    assert.equal(canWriteInSandbox({ type: 'readOnly' }, support), true);
    assert.equal(canWriteInSandbox({ type: 'dangerFullAccess' }, support), false);
    assert.equal(canWriteInSandbox(policy, { kind: 'none', reason: 'no bwrap' }), false);
  });

  it('applies add, update, delete and move exactly as writePlan does, keeping file modes', async () => {
    const seed = (dir: string) => {
      fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src', 'main.sh'), '#!/bin/sh\necho one\necho two\n', { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'src', 'old.txt'), 'keep\nrename me\n', { mode: 0o640 });
      fs.writeFileSync(path.join(dir, 'gone.txt'), 'bye\n');
      fs.writeFileSync(path.join(dir, 'taken.txt'), 'overwritten by the move\n', { mode: 0o600 });
      fs.chmodSync(path.join(dir, 'src', 'main.sh'), 0o755);
      fs.chmodSync(path.join(dir, 'src', 'old.txt'), 0o640);
    };
    const patch = [
      '*** Add File: docs/new/readme.md\n+# New\n+text\n',
      '*** Update File: src/main.sh\n@@\n echo one\n-echo two\n+echo deux\n',
      '*** Delete File: gone.txt\n',
      '*** Update File: src/old.txt\n*** Move to: lib/moved.txt\n@@\n keep\n-rename me\n+renamed\n',
      '*** Update File: src/main.sh\n*** Move to: taken.txt\n@@\n-echo one\n+echo uno\n',
    ].join('');
    const viaServer = path.join(base, 'copy-server');
    fs.mkdirSync(viaServer);
    seed(viaServer);
    seed(workspace);

    // One plan per copy, made before anything is written (the second hunk on src/main.sh sees the file as
    // it was, for both implementations alike).
    await writePlan(await plan(patch, viaServer));
    await write(await plan(patch));

    const expected = tree(viaServer);
    assert.deepEqual(tree(workspace), expected);
    assert.equal(expected['taken.txt']!.split(' ')[1], '755', 'the move keeps the mode of its source');
    assert.equal(expected['lib/moved.txt']!.split(' ')[1], '640');
    assert.equal(fs.readFileSync(path.join(workspace, 'taken.txt'), 'utf8'), '#!/bin/sh\necho uno\necho two\n');
    assert.ok(!fs.existsSync(path.join(workspace, 'gone.txt')));
    assert.ok(!fs.existsSync(path.join(workspace, 'src', 'main.sh')));
  });

  it('refuses a target outside the writable roots, leaves it untouched and rolls back the earlier files', async () => {
    fs.writeFileSync(path.join(workspace, 'a.txt'), 'before\n', { mode: 0o644 });
    fs.writeFileSync(path.join(workspace, 'doomed.txt'), 'still here\n');
    fs.writeFileSync(path.join(outside, 'victim.txt'), 'original\n');
    const before = { workspace: tree(workspace), outside: tree(outside) };
    const changes = await plan(
      [
        '*** Update File: a.txt\n@@\n-before\n+after\n',
        '*** Add File: fresh/deeper/b.txt\n+new\n',
        '*** Delete File: doomed.txt\n',
        `*** Update File: ${path.join(outside, 'victim.txt')}\n@@\n-original\n+pwned\n`,
        `*** Add File: ${path.join(outside, 'planted.txt')}\n+pwned\n`,
      ].join(''),
    );
    await rejectsWith(write(changes), /rolled back/, new RegExp(`cannot write ${path.join(outside, 'victim.txt')}`), /EROFS/);
    assert.deepEqual(tree(outside), before.outside);
    assert.deepEqual(tree(workspace), before.workspace, 'the earlier writes (and the folders they made) are undone');
    assert.deepEqual(tempFiles(base), []);

    // A folder that does not exist yet under the home folder (outside every root): EROFS, not ENOENT.
    const inHome = path.join(os.homedir(), `tandem-sbw-${path.basename(base)}`);
    try {
      const changes2 = await plan(`*** Add File: fresh.txt\n+new\n*** Add File: ${path.join(inHome, 'x.txt')}\n+pwned\n`);
      await rejectsWith(write(changes2), new RegExp(`cannot write ${path.join(inHome, 'x.txt')}: EROFS`));
      assert.ok(!fs.existsSync(inHome));
      assert.ok(!fs.existsSync(path.join(workspace, 'fresh.txt')));
    } finally {
      fs.rmSync(inHome, { recursive: true, force: true });
    }
  });

  it('refuses a write through a folder swapped for a link to outside after the plan was made', async () => {
    fs.mkdirSync(path.join(workspace, 'sw'));
    fs.writeFileSync(path.join(workspace, 'sw', 'file.txt'), 'inside\n');
    fs.writeFileSync(path.join(workspace, 'first.txt'), 'one\n');
    fs.writeFileSync(path.join(outside, 'file.txt'), 'inside\n');
    const changes = await plan(['*** Update File: first.txt\n@@\n-one\n+two\n', '*** Update File: sw/file.txt\n@@\n-inside\n+escaped\n', '*** Add File: sw/new.txt\n+escaped\n'].join(''));
    // The race, won by the attacker: a sandboxed command swaps the folder between the check and the write.
    fs.rmSync(path.join(workspace, 'sw'), { recursive: true });
    fs.symlinkSync(outside, path.join(workspace, 'sw'));
    const before = tree(outside);

    await rejectsWith(write(changes), new RegExp(`cannot write ${path.join(workspace, 'sw', 'file.txt')}`), /EROFS/);
    assert.deepEqual(tree(outside), before, 'nothing appears outside');
    assert.equal(fs.readFileSync(path.join(workspace, 'first.txt'), 'utf8'), 'one\n');
    assert.deepEqual(tempFiles(base), []);

    // writePlan, run from the server, is what the race defeats.
    await writePlan(changes);
    assert.equal(fs.readFileSync(path.join(outside, 'new.txt'), 'utf8'), 'escaped\n');
  });

  it("refuses writes into the workspace's .git", async () => {
    fs.mkdirSync(path.join(workspace, '.git', 'hooks'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.git', 'config'), '[core]\n\tbare = false\n');
    fs.writeFileSync(path.join(workspace, 'ok.txt'), 'ok\n');
    const before = tree(workspace);
    const changes = await plan(['*** Update File: ok.txt\n@@\n-ok\n+changed\n', '*** Add File: .git/hooks/pre-commit\n+#!/bin/sh\n+echo planted\n'].join(''));
    await rejectsWith(write(changes), /cannot write .*\.git\/hooks\/pre-commit/, /EROFS/);
    const changes2 = await plan('*** Update File: .git/config\n@@\n [core]\n+\tfsmonitor = /tmp/evil\n');
    await rejectsWith(write(changes2), /cannot write .*\.git\/config/, /EROFS/);
    const changes3 = await plan('*** Delete File: .git/config\n');
    await rejectsWith(write(changes3), /cannot delete .*\.git\/config/, /EROFS/);
    assert.deepEqual(tree(workspace), before);
  });

  it('round-trips unicode and a 1 MB file byte for byte', async () => {
    const unicode = 'héllo wörld — 日本語 🎉\r\nzero\u200bwidth, NUL\u0000, lone surrogate: \ud800 end\n';
    const big = Array.from({ length: 1024 * 16 }, (_, i) => `line ${i} ${'x'.repeat(50)} ✓\n`).join('');
    assert.ok(Buffer.byteLength(big) > 1024 * 1024);
    const changes: PlannedChange[] = [
      { kind: 'add', path: path.join(workspace, 'uni.txt'), movePath: undefined, oldContent: null, newContent: unicode, diff: '' },
      { kind: 'add', path: path.join(workspace, 'big.txt'), movePath: undefined, oldContent: null, newContent: big, diff: '' },
    ];
    const started = performance.now();
    await write(changes);
    const elapsed = performance.now() - started;
    assert.ok(fs.readFileSync(path.join(workspace, 'uni.txt')).equals(Buffer.from(unicode, 'utf8')));
    assert.ok(fs.readFileSync(path.join(workspace, 'big.txt')).equals(Buffer.from(big, 'utf8')));
    // Same bytes as the server's own write.
    const copy = path.join(base, 'copy');
    await writePlan(changes.map((c) => ({ ...c, path: c.path.replace(workspace, copy) })));
    assert.ok(fs.readFileSync(path.join(copy, 'uni.txt')).equals(fs.readFileSync(path.join(workspace, 'uni.txt'))));
    assert.ok(elapsed < 10_000, `took ${elapsed} ms`);
  });

  it('refuses a FIFO where it must read, instead of hanging', async () => {
    fs.writeFileSync(path.join(workspace, 'src.txt'), 'a\n');
    const changes = await plan('*** Update File: src.txt\n*** Move to: pipe\n@@\n-a\n+b\n');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [path.join(workspace, 'pipe')]);
    await rejectsWith(write(changes), /cannot write .*pipe: .*not a regular file/);
    assert.equal(fs.readFileSync(path.join(workspace, 'src.txt'), 'utf8'), 'a\n');
  });

  it('kills a writer that does not finish in time', async () => {
    // A stand-in for bwrap that never runs the writer (and leaves a grandchild holding the pipes).
    const fake = path.join(base, 'fake-bwrap');
    fs.writeFileSync(fake, '#!/bin/sh\nsleep 30 &\nsleep 30\n', { mode: 0o755 });
    const changes: PlannedChange[] = [{ kind: 'add', path: path.join(workspace, 'x.txt'), movePath: undefined, oldContent: null, newContent: 'x', diff: '' }];
    const started = Date.now();
    await assert.rejects(writePlanInSandbox(changes, policy, workspace, { home, support: { kind: 'bwrap', path: fake }, timeoutMs: 500 }), (e: Error) => e instanceof PatchApplyError && /stopped after 500 ms/.test(e.message));
    assert.ok(Date.now() - started < 5_000);
  });

  it('says so instead of writing unsandboxed when there is no sandbox', async () => {
    const changes: PlannedChange[] = [{ kind: 'add', path: path.join(workspace, 'x.txt'), movePath: undefined, oldContent: null, newContent: 'x', diff: '' }];
    await rejectsWith(writePlanInSandbox(changes, policy, workspace, { home, support: { kind: 'none', reason: 'bubblewrap is missing' } }), /bubblewrap is missing; nothing was written/);
    assert.ok(!fs.existsSync(path.join(workspace, 'x.txt')));
  });
});
