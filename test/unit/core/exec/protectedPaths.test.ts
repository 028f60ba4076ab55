import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { protectedMounts } from '../../../../src/core/exec/protectedPaths';
import { bwrapArgs, seatbeltProfile } from '../../../../src/core/exec/sandbox';

describe('core/exec/protectedPaths', () => {
  let base: string;
  let parent: string;
  let workspace: string;
  const mk = (...parts: string[]) => fs.mkdirSync(path.join(...parts), { recursive: true });

  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-protected-')));
    parent = path.join(base, 'parent');
    workspace = path.join(parent, 'workspace');
    mk(workspace, '.git', 'hooks');
    mk(workspace, '.tandem');
    mk(workspace, '.codex');
    mk(workspace, 'src', 'vendor', 'lib', '.git');
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('protects .git, .tandem, .codex of every root and nested .git, on real paths', () => {
    fs.symlinkSync(parent, path.join(base, 'link'));
    const mounts = protectedMounts({ roots: [workspace, path.join(base, 'link')], codexHome: path.join(base, 'no-codex') });
    assert.deepEqual(mounts.roots, [workspace, parent]);
    assert.deepEqual(mounts.readOnly, ['.codex', '.git', '.tandem', 'src/vendor/lib/.git'].map((p) => path.join(workspace, p)));
    assert.deepEqual(mounts.warnings, []);
  });

  it('follows a .git file to its git dir and common dir when they lie in a writable root', () => {
    mk(parent, 'main.git', 'worktrees', 'wt');
    fs.writeFileSync(path.join(parent, 'main.git', 'worktrees', 'wt', 'commondir'), '../..\n');
    mk(parent, 'wt');
    fs.writeFileSync(path.join(parent, 'wt', '.git'), 'gitdir: ../main.git/worktrees/wt\n');
    const mounts = protectedMounts({ roots: [parent], codexHome: path.join(base, 'none') });
    for (const p of [path.join(parent, 'wt', '.git'), path.join(parent, 'main.git')]) assert.ok(mounts.readOnly.includes(p), p);
    // Outside every writable root the git dir is read-only anyway: nothing to bind.
    const outside = protectedMounts({ roots: [path.join(parent, 'wt')], codexHome: path.join(base, 'none') });
    assert.deepEqual(outside.readOnly, [path.join(parent, 'wt', '.git')]);
  });

  it('hides credential homes whole, and masks their files one by one only when the sandbox needs the home', () => {
    const home = path.join(workspace, 'home');
    mk(home);
    fs.writeFileSync(path.join(home, 'auth.json'), '{}');
    const codexHome = path.join(base, 'codex');
    mk(codexHome);
    fs.writeFileSync(path.join(codexHome, 'auth.json'), '{}');
    fs.writeFileSync(path.join(codexHome, '.credentials.json'), '{}');
    const mounts = protectedMounts({ roots: [workspace], home, codexHome });
    assert.deepEqual(mounts.hidden, [codexHome, home].sort());
    assert.deepEqual(mounts.masked, [], 'a hidden home needs no file masks');
    assert.ok(!mounts.readOnly.includes(home), 'hidden covers read-only');
    // A thread working inside a home: the home is still hidden, and the root comes back on top of it.
    const project = path.join(home, 'project');
    mk(project);
    const inside = protectedMounts({ roots: [project], home, codexHome, cwd: project });
    assert.deepEqual(inside.hidden, [codexHome, home].sort());
    assert.ok(inside.writable.includes(project));
    const args = bwrapArgs({ type: 'workspaceWrite', writableRoots: [], networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true }, project, { home });
    assert.ok(args.indexOf(home) < args.lastIndexOf(project), 'the empty home first, the root inside it on top');
    // A home that is itself the root, or holds a read-only thread's cwd: visible, its credentials masked.
    assert.deepEqual(protectedMounts({ roots: [home], home, codexHome }).masked, [path.join(home, 'auth.json')]);
    const stranded = protectedMounts({ roots: [], home, codexHome, cwd: project });
    assert.deepEqual(stranded.hidden, [codexHome]);
    assert.deepEqual(stranded.masked, [path.join(home, 'auth.json')]);
  });

  it('says when the nested .git scan stops at its bound, and when a protected entry is a symlink', () => {
    const mounts = protectedMounts({ roots: [parent], maxScannedDirs: 3, codexHome: path.join(base, 'none') });
    assert.equal(mounts.warnings.length, 1);
    assert.match(mounts.warnings[0]!, /stopped looking for nested \.git folders after 3 folders; \d+ folders not scanned/);
    fs.symlinkSync(path.join(workspace, 'src'), path.join(parent, '.codex'));
    const linked = protectedMounts({ roots: [parent], codexHome: path.join(base, 'none') });
    assert.ok(linked.readOnly.includes(path.join(workspace, 'src')));
    assert.match(linked.warnings.join('\n'), /\.codex is a symbolic link/);
  });

  it('keeps protecting a nested repository it found once, even when padding later uses up the scan budget', () => {
    const deep = path.join(workspace, 'a', 'b', 'c', 'repo');
    mk(path.join(deep, '.git'));
    assert.ok(protectedMounts({ roots: [workspace], codexHome: path.join(base, 'none') }).readOnly.includes(path.join(deep, '.git')));
    for (let i = 0; i < 20; i += 1) mk(path.join(workspace, 'pad', String(i)));
    const starved = protectedMounts({ roots: [workspace], maxScannedDirs: 5, codexHome: path.join(base, 'none') });
    assert.match(starved.warnings.join('\n'), /stopped looking for nested \.git folders/);
    assert.ok(starved.readOnly.includes(path.join(deep, '.git')), 'remembered from the first scan');
  });

  it('scans the thread folder first, so clutter in another root cannot use up the budget', () => {
    const clutter = path.join(base, 'clutter');
    for (let i = 0; i < 20; i += 1) mk(path.join(clutter, String(i)));
    const fresh = path.join(workspace, 'fresh-repo');
    mk(path.join(fresh, '.git'));
    const mounts = protectedMounts({ roots: [clutter, workspace], cwd: workspace, maxScannedDirs: 8, codexHome: path.join(base, 'none') });
    assert.ok(mounts.readOnly.includes(path.join(fresh, '.git')));
  });

  it('binds parents before children, every read-only bind after the writable binds, and the filter only without network', () => {
    const policy = { type: 'workspaceWrite' as const, writableRoots: [parent], networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true };
    const args = bwrapArgs(policy, workspace, { home: path.join(workspace, '.tandem') });
    const binds = args.flatMap((a, i) => (a === '--bind' ? [args[i + 1]!] : []));
    assert.deepEqual(binds, [parent, workspace, path.join(workspace, 'src'), path.join(workspace, 'src', 'vendor'), path.join(workspace, 'src', 'vendor', 'lib')], 'roots, then each folder down to a nested repository');
    const lastBind = args.lastIndexOf('--bind');
    const gitBind = args.indexOf(path.join(workspace, '.git'));
    assert.ok(gitBind > lastBind && args[gitBind - 1] === '--ro-bind-try' && args[gitBind + 1] === path.join(workspace, '.git'));
    assert.deepEqual(args.slice(args.indexOf('--seccomp'), args.indexOf('--seccomp') + 2), ['--seccomp', '3']);
    assert.ok(args.includes('--unshare-net'));
    const networked = bwrapArgs({ ...policy, networkAccess: true }, workspace);
    assert.ok(!networked.includes('--seccomp') && !networked.includes('--unshare-net'));
  });

  it('writes the same protections into the seatbelt profile', () => {
    const home = path.join(base, 'home');
    mk(home);
    fs.writeFileSync(path.join(home, 'auth.json'), '{}');
    const profile = seatbeltProfile({ type: 'workspaceWrite', writableRoots: [], networkAccess: false, excludeSlashTmp: true, excludeTmpdirEnvVar: true }, workspace, { home });
    const q = (p: string) => `(require-not (subpath "${path.join(workspace, p)}"))`;
    for (const p of ['.git', '.tandem', '.codex', '.vscode', 'src/vendor/lib/.git']) assert.ok(profile.includes(q(p)), p);
    assert.ok(profile.includes(`(deny file-read* file-write* (subpath "${home}"))`));
    assert.doesNotMatch(profile, /allow network/);
  });
});
