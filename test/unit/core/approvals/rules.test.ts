import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AskForApproval, SandboxPolicy } from '../../../../src/protocol';
import { decideCommand, type CommandDecision, type CommandRuleInput } from '../../../../src/core/approvals/commandRule';
import { decidePatch, resolvePatchTargets, type PatchDecision } from '../../../../src/core/approvals/patchRule';
import { isInside, resolveEntryPath, resolveRealPath } from '../../../../src/core/approvals/realPath';
import { SessionApprovals } from '../../../../src/core/approvals/sessionApprovals';

const WW: SandboxPolicy = { type: 'workspaceWrite', writableRoots: [], excludeSlashTmp: true, excludeTmpdirEnvVar: true };
const RO: SandboxPolicy = { type: 'readOnly' };
const FULL: SandboxPolicy = { type: 'dangerFullAccess' };

const granular = (sandbox_approval: boolean, rules: boolean): AskForApproval => ({ granular: { sandbox_approval, rules, mcp_elicitations: false, request_permissions: false, skill_approval: false } });
const ASKS = granular(true, true);
const QUIET = granular(false, false);

const RULE = (decision: 'prompt' | 'forbidden') => ({ pattern: ['git', 'push'], decision, origin: 'default.rules:1' });

describe('core/approvals: command rule', () => {
  const base: CommandRuleInput = { policy: 'on-request', sandbox: WW, sandboxUnavailable: null, escalate: false, justification: null, rule: null, sessionApproved: () => false };
  const kind = (d: CommandDecision) => (d.kind === 'refuse' ? 'refuse' : `${d.kind}:${d.sandboxed ? 'sandboxed' : 'unsandboxed'}`);
  const cases: Array<[string, Partial<CommandRuleInput>, string]> = [
    ['on-request in the sandbox', {}, 'run:sandboxed'],
    ['never in the sandbox', { policy: 'never' }, 'run:sandboxed'],
    ['untrusted, unknown command', { policy: 'untrusted' }, 'ask:sandboxed'],
    ['untrusted, a read-only command still asks', { policy: 'untrusted' }, 'ask:sandboxed'],
    ['an allow rule runs it outside the sandbox, untrusted or not', { policy: 'untrusted', rule: { decision: 'allow' } }, 'run:unsandboxed'],
    ['an allow rule under never', { policy: 'never', rule: { decision: 'allow' } }, 'run:unsandboxed'],
    ['a forbidden rule refuses even with full access', { sandbox: FULL, policy: 'never', rule: { decision: 'forbidden', rule: RULE('forbidden') } }, 'refuse'],
    ['a prompt rule asks even where the policy would run it', { rule: { decision: 'prompt', rule: RULE('prompt') } }, 'ask:sandboxed'],
    ['a prompt rule under never refuses', { policy: 'never', rule: { decision: 'prompt', rule: RULE('prompt') } }, 'refuse'],
    ['untrusted, approved for the session', { policy: 'untrusted', sessionApproved: (sandboxed) => sandboxed }, 'run:sandboxed'],
    ['untrusted, approved for the session unsandboxed only', { policy: 'untrusted', sessionApproved: (sandboxed) => !sandboxed }, 'ask:sandboxed'],
    ['read-only, on-request', { sandbox: RO }, 'run:sandboxed'],
    ['escalation under on-request asks', { escalate: true }, 'ask:unsandboxed'],
    ['escalation under on-request, approved for the session', { escalate: true, sessionApproved: (sandboxed) => !sandboxed }, 'run:unsandboxed'],
    ['escalation, approved for the session only in the sandbox: asks', { escalate: true, sessionApproved: (sandboxed) => sandboxed }, 'ask:unsandboxed'],
    ['escalation under never is refused', { escalate: true, policy: 'never' }, 'refuse'],
    ['escalation under untrusted is refused', { escalate: true, policy: 'untrusted' }, 'refuse'],
    ['no sandbox, on-request: asks', { sandboxUnavailable: 'bwrap missing' }, 'ask:unsandboxed'],
    ['no sandbox, untrusted: asks', { sandboxUnavailable: 'bwrap missing', policy: 'untrusted' }, 'ask:unsandboxed'],
    ['no sandbox, a prompt rule: asks to run unsandboxed', { sandboxUnavailable: 'bwrap missing', rule: { decision: 'prompt', rule: RULE('prompt') } }, 'ask:unsandboxed'],
    ['no sandbox, never: refused', { sandboxUnavailable: 'bwrap missing', policy: 'never' }, 'refuse'],
    ['full access, on-request', { sandbox: FULL }, 'run:unsandboxed'],
    ['full access, never', { sandbox: FULL, policy: 'never' }, 'run:unsandboxed'],
    ['full access, untrusted', { sandbox: FULL, policy: 'untrusted' }, 'ask:unsandboxed'],
    ['granular runs in the sandbox without asking, as on-request', { policy: QUIET }, 'run:sandboxed'],
    ['granular with sandbox approvals: an escalation asks', { policy: ASKS, escalate: true }, 'ask:unsandboxed'],
    ['granular without sandbox approvals: an escalation is refused', { policy: granular(false, true), escalate: true }, 'refuse'],
    ['granular without sandbox approvals: no sandbox on this machine is refused', { policy: granular(false, true), sandboxUnavailable: 'bwrap missing' }, 'refuse'],
    ['granular with sandbox approvals: no sandbox on this machine asks', { policy: granular(true, false), sandboxUnavailable: 'bwrap missing' }, 'ask:unsandboxed'],
    ['granular with rules: a prompt rule asks', { policy: granular(false, true), rule: { decision: 'prompt', rule: RULE('prompt') } }, 'ask:sandboxed'],
    ['granular without rules: a prompt rule is refused', { policy: granular(true, false), rule: { decision: 'prompt', rule: RULE('prompt') } }, 'refuse'],
  ];
  for (const [name, input, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(kind(decideCommand({ ...base, ...input })), expected));
  }

  it('says why it refuses, and how to fix a missing sandbox', () => {
    const refused = decideCommand({ ...base, policy: 'never', sandboxUnavailable: 'bubblewrap (bwrap) is not installed' });
    assert.equal(refused.kind, 'refuse');
    assert.match(refused.kind === 'refuse' ? refused.reason : '', /bwrap\) is not installed.*approval policy is never.*install bubblewrap.*danger-full-access/);
    const asked = decideCommand({ ...base, sandboxUnavailable: 'bubblewrap (bwrap) is not installed' });
    assert.match(asked.kind === 'ask' ? (asked.reason ?? '') : '', /No sandbox is available/);
  });
});

describe('core/approvals: patch rule', () => {
  const home = '/home/u/.tandem';
  const decide = (files: string[], policy: AskForApproval, sandbox: SandboxPolicy = WW, roots: string[] | 'everywhere' = ['/w'], session = new SessionApprovals()) =>
    decidePatch(
      files.map((f) => ({ lexical: f, real: f })),
      { policy, sandbox, roots: sandbox.type === 'dangerFullAccess' ? 'everywhere' : roots, home, session },
    );
  const kind = (d: PatchDecision) => d.kind;
  const cases: Array<[string[], AskForApproval, SandboxPolicy, string]> = [
    [['/w/a.ts'], 'on-request', WW, 'auto'],
    [['/w/a.ts'], 'never', WW, 'auto'],
    [['/w/a.ts'], 'untrusted', WW, 'ask'],
    [['/etc/x'], 'on-request', WW, 'ask'],
    [['/etc/x'], 'never', WW, 'refuse'],
    [['/w/.git/config'], 'on-request', WW, 'ask'],
    [['/w/.git/config'], 'never', WW, 'refuse'],
    [['/w/sub/.git/hooks/pre-commit'], 'on-request', WW, 'ask'],
    [['/w/vendor/lib/.git'], 'on-request', WW, 'ask'],
    [['/w/.codex/config.toml'], 'on-request', WW, 'ask'],
    [['/w/.vscode/tasks.json'], 'never', WW, 'refuse'],
    [['/w/.GIT/config'], 'on-request', WW, 'ask'],
    [['/w/.g\u200cit/config'], 'never', WW, 'refuse'],
    [['/w/.git. /config'], 'never', WW, 'refuse'],
    [['/w/.tandem/config.toml'], 'never', WW, 'refuse'],
    [['/w/a.ts', '/w/.git/config'], 'on-request', WW, 'ask'],
    [['/w/a.ts'], 'on-request', RO, 'ask'],
    [['/w/a.ts'], 'never', RO, 'refuse'],
    [['/etc/x'], 'on-request', FULL, 'auto'],
    [['/etc/x'], 'untrusted', FULL, 'ask'],
    [['/w/.git/config'], 'never', FULL, 'auto'],
    [['/w/a.ts'], QUIET, WW, 'auto'],
    [['/etc/x'], ASKS, WW, 'ask'],
    [['/etc/x'], QUIET, WW, 'refuse'],
    [['/w/.git/config'], ASKS, WW, 'ask'],
    [['/w/.git/config'], QUIET, WW, 'refuse'],
    [['/w/a.ts'], QUIET, RO, 'refuse'],
  ];
  for (const [files, policy, sandbox, expected] of cases) {
    it(`${files.join(' + ')} under ${JSON.stringify(policy)} / ${sandbox.type} → ${expected}`, () => assert.equal(kind(decide(files, policy, sandbox, sandbox.type === 'readOnly' ? [] : ['/w'])), expected));
  }

  it('protects Tandem’s home when it lies inside the workspace', () => {
    const d = decide([`${home}/config.toml`], 'on-request', WW, ['/home/u']);
    assert.equal(d.kind, 'ask');
    assert.match(d.kind === 'ask' ? (d.reason ?? '') : '', /Tandem's own settings/);
    assert.equal(decide([`${home}/config.toml`], 'never', WW, ['/home/u']).kind, 'refuse');
  });

  it('judges the real path: a link in the workspace to a folder outside is outside', () => {
    const d = decidePatch([{ lexical: '/w/evil/config.toml', real: '/home/u/.tandem/config.toml' }], { policy: 'on-request', sandbox: WW, roots: ['/w'], home, session: new SessionApprovals() });
    assert.equal(d.kind, 'ask');
    const inside = decidePatch([{ lexical: '/w/link', real: '/w/src/file.ts' }], { policy: 'on-request', sandbox: WW, roots: ['/w'], home, session: new SessionApprovals() });
    assert.equal(inside.kind, 'auto');
    const outside = decidePatch([{ lexical: '/w/evil/x', real: '/etc/x' }], { policy: 'on-request', sandbox: WW, roots: ['/w'], home, session: new SessionApprovals() });
    assert.match(outside.kind === 'ask' ? (outside.reason ?? '') : '', /outside the workspace: \/etc\/x/);
  });

  it('remembers "for this session" exact files, never their folder, never protected ones', () => {
    const session = new SessionApprovals();
    session.rememberWrite('/etc/x');
    assert.equal(decide(['/etc/x'], 'never', WW, ['/w'], session).kind, 'auto');
    assert.equal(decide(['/etc/x'], 'untrusted', WW, ['/w'], session).kind, 'auto');
    assert.equal(decide(['/etc/y'], 'on-request', WW, ['/w'], session).kind, 'ask', 'a sibling is not granted');
    session.rememberWrite('/w/.git/config');
    assert.equal(decide(['/w/.git/config'], 'on-request', WW, ['/w'], session).kind, 'ask');
  });

  it('protects the git folders the sandbox keeps read-only (a worktree gitdir named by a .git file)', () => {
    const input = { policy: 'never' as const, sandbox: WW, roots: ['/w'], home, session: new SessionApprovals(), protectedPaths: ['/w/.bare'] };
    const d = decidePatch([{ lexical: '/w/.bare/hooks/pre-commit', real: '/w/.bare/hooks/pre-commit' }], input);
    assert.equal(d.kind, 'refuse');
    assert.match(d.kind === 'refuse' ? d.reason : '', /protected git folder \(\/w\/\.bare\)/);
  });

  it('names every protected and every outside target in the prompt', () => {
    const d = decidePatch(
      [
        { lexical: '/w/.git/description', real: '/w/.git/description' },
        { lexical: '/w/settings/config.toml', real: '/home/u/dotfiles/config.toml' },
      ],
      { policy: 'on-request', sandbox: WW, roots: ['/w'], home, session: new SessionApprovals() },
    );
    assert.equal(d.kind, 'ask');
    const reason = d.kind === 'ask' ? (d.reason ?? '') : '';
    assert.match(reason, /\/w\/\.git\/description/);
    assert.match(reason, /outside the workspace: \/home\/u\/dotfiles\/config\.toml/);
  });

  it('review_file_changes asks for every patch the sandbox would allow, and only adds questions', () => {
    const review = (files: string[], policy: AskForApproval, sandbox: SandboxPolicy = WW, session = new SessionApprovals()) =>
      decidePatch(
        files.map((f) => ({ lexical: f, real: f })),
        { policy, sandbox, roots: sandbox.type === 'dangerFullAccess' ? 'everywhere' : sandbox.type === 'readOnly' ? [] : ['/w'], home, session, reviewAll: true },
      ).kind;
    assert.equal(review(['/w/a.ts'], 'on-request'), 'ask', 'inside the workspace, where on-request alone writes at once');
    assert.equal(review(['/w/a.ts'], ASKS), 'ask');
    assert.equal(review(['/etc/x'], 'on-request', FULL), 'ask', 'full access too');
    assert.equal(review(['/etc/x'], 'on-request'), 'ask');
    // A policy that may not ask keeps writing what the sandbox allows, and refusing what it does not.
    assert.equal(review(['/w/a.ts'], 'never'), 'auto');
    assert.equal(review(['/w/a.ts'], QUIET), 'auto');
    assert.equal(review(['/etc/x'], 'never'), 'refuse');
    // "Accept for Session" covers exactly the files accepted.
    const session = new SessionApprovals();
    session.rememberWrite('/w/a.ts');
    assert.equal(review(['/w/a.ts'], 'on-request', WW, session), 'auto');
    assert.equal(review(['/w/b.ts'], 'on-request', WW, session), 'ask');
  });

  it('judges an unlink by the entry it removes, not by where a link points', () => {
    const input = { policy: 'never' as const, sandbox: WW, roots: ['/w'], home, session: new SessionApprovals() };
    // ~/.bashrc -> /w/dotfiles/bashrc: deleting ~/.bashrc removes an entry outside the workspace.
    assert.equal(decidePatch([{ lexical: '/home/u/.bashrc', real: '/home/u/.bashrc', unlink: true }], input).kind, 'refuse');
  });
});

describe('core/approvals: real paths', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-realpath-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('follows links in parents, at the end, and dangling ones; appends what does not exist', async () => {
    fs.mkdirSync(path.join(dir, 'outside'));
    fs.mkdirSync(path.join(dir, 'ws'));
    fs.symlinkSync(path.join(dir, 'outside'), path.join(dir, 'ws', 'evil'));
    fs.symlinkSync(path.join(dir, 'outside', 'missing.txt'), path.join(dir, 'ws', 'dangling'));
    fs.symlinkSync('../outside', path.join(dir, 'ws', 'relative'));
    assert.equal(await resolveRealPath(path.join(dir, 'ws', 'evil', 'config.toml')), path.join(dir, 'outside', 'config.toml'));
    assert.equal(await resolveRealPath(path.join(dir, 'ws', 'evil', 'new', 'deep.txt')), path.join(dir, 'outside', 'new', 'deep.txt'));
    assert.equal(await resolveRealPath(path.join(dir, 'ws', 'dangling')), path.join(dir, 'outside', 'missing.txt'));
    assert.equal(await resolveRealPath(path.join(dir, 'ws', 'relative', 'x')), path.join(dir, 'outside', 'x'));
    assert.equal(await resolveRealPath(path.join(dir, 'ws', '..', 'outside', 'y')), path.join(dir, 'outside', 'y'));
    assert.equal(await resolveEntryPath(path.join(dir, 'ws', 'dangling')), path.join(dir, 'ws', 'dangling'));
    const [target, removed] = await resolvePatchTargets([
      { file: path.join(dir, 'ws', 'evil', 'config.toml'), unlink: false },
      { file: path.join(dir, 'ws', 'dangling'), unlink: true },
    ]);
    assert.deepEqual(target, { lexical: path.join(dir, 'ws', 'evil', 'config.toml'), real: path.join(dir, 'outside', 'config.toml'), unlink: false });
    assert.deepEqual(removed, { lexical: path.join(dir, 'ws', 'dangling'), real: path.join(dir, 'ws', 'dangling'), unlink: true });
  });

  it('gives up on a symlink loop instead of spinning', async () => {
    fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    await assert.rejects(resolveRealPath(path.join(dir, 'a')), /symbolic links|ELOOP/);
  });

  it('tells inside from outside without being fooled by a prefix', () => {
    assert.ok(isInside('/w/a', '/w'));
    assert.ok(isInside('/w', '/w'));
    assert.ok(!isInside('/wx/a', '/w'));
    assert.ok(!isInside('/a', '/w'));
    assert.ok(isInside('/w/..hidden/a', '/w'));
  });
});
