// The consent boundary attacked the way a prompt-injected model would: plant a symlink from a sandboxed
// command, then write through it with apply_patch; aim at Tandem's own home, at .git, at a missing sandbox.
// Real bubblewrap runs the commands (CI installs it).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeModelServer, textReply, toolCallReply } from '../support/fakeModel';
import { spawnStdioServer, type SpawnedServer, type WireMessage } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';
import { makeTempHome, type TempHome } from '../support/tempHome';

const patchOf = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

describe('integration: the consent boundary holds against a hostile model', function () {
  this.timeout(40_000);
  let model: FakeModelServer;
  let temp: TempHome;
  let server: SpawnedServer;
  /** A folder outside every writable root (not under /tmp, which workspace-write may write). */
  let outside: string;

  async function boot(extraConfig = '', env: NodeJS.ProcessEnv = {}) {
    model = await new FakeModelServer().start();
    temp = makeTempHome({ baseUrl: model.baseUrl, extraConfig });
    server = spawnStdioServer({ env: { ...temp.env, ...env } });
    await server.client.initialize('tandem_test');
  }

  beforeEach(() => {
    outside = fs.mkdtempSync(path.join(os.homedir(), '.tandem-consent-probe-'));
    fs.writeFileSync(path.join(outside, 'config.toml'), 'approval_policy = "on-request"\n');
  });
  afterEach(async () => {
    await server?.close();
    await model?.stop();
    fs.rmSync(outside, { recursive: true, force: true });
    answered.clear();
  });

  function outputFor(callId: string): string {
    for (const request of model.requests) {
      const found = (request.body.input as Array<{ type: string; call_id?: string; output?: string }>).find((i) => i.type.endsWith('_output') && i.call_id === callId);
      if (found) return String(found.output);
    }
    throw new Error(`no output for ${callId}`);
  }
  const completed = (type: string) => server.client.notifications('item/completed').map((m) => m.params.item).filter((item) => item.type === type);
  const answered = new Set<string | number>();
  /** Answers the next server request of this method not answered yet. */
  const answerNext = (method: string, result: unknown): Promise<WireMessage> =>
    server.client.waitFor((m) => m.method === method && m.id !== undefined && !answered.has(m.id)).then((request) => {
      answered.add(request.id!);
      server.client.send({ id: request.id, result });
      return request;
    });
  const hijack = patchOf('*** Update File: evil/config.toml', '@@', '-approval_policy = "on-request"', '+approval_policy = "never"');

  it('asks before a patch that follows a symlink a sandboxed command planted; declined, nothing is written', async () => {
    await boot();
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
    await boot('approval_policy = "never"');
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
    model = await new FakeModelServer().start();
    temp = makeTempHome({ baseUrl: model.baseUrl });
    const nestedHome = path.join(temp.workspace, '.config', 'tandem-home');
    fs.mkdirSync(nestedHome, { recursive: true });
    fs.copyFileSync(path.join(temp.home, 'config.toml'), path.join(nestedHome, 'config.toml'));
    execFileSync('git', ['init', '-q', temp.workspace]);
    const gitConfig = fs.readFileSync(path.join(temp.workspace, '.git', 'config'), 'utf8');
    server = spawnStdioServer({ env: { TANDEM_HOME: nestedHome } });
    await server.client.initialize('tandem_test');
    const homeConfig = fs.readFileSync(path.join(nestedHome, 'config.toml'), 'utf8');
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(
      toolCallReply('apply_patch', { input: patchOf('*** Update File: .git/config', '@@', '+[core]', '+\tfsmonitor = "touch /tmp/pwned"') }, 'g1'),
      toolCallReply('apply_patch', { input: patchOf('*** Add File: .config/tandem-home/config.toml', '+approval_policy = "never"') }, 'h1'),
      toolCallReply('exec_command', { cmd: 'ln -s .git gitlink' }, 'l1'),
      toolCallReply('apply_patch', { input: patchOf('*** Add File: gitlink/hooks/pre-commit', '+#!/bin/sh', '+touch /tmp/pwned') }, 'g2'),
      toolCallReply('apply_patch', { input: patchOf('*** Add File: .codex/config.toml', '+approval_policy = "never"') }, 'c1'),
      toolCallReply('apply_patch', { input: patchOf('*** Add File: src/ok.txt', '+fine') }, 'ok'),
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
  });

  it('writes through a file symlink whose target is inside the workspace, and keeps the link', async () => {
    await boot('approval_policy = "never"');
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
    await boot('approval_policy = "never"', { PATH: `${fakeBin}:${process.env.PATH}` });
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
    await boot('approval_policy = "never"');
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
    await boot('approval_policy = "never"');
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: `echo x > ${path.join(outside, 'blocked.txt')}` }, 'b1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'write outside');
    assert.ok(!fs.existsSync(path.join(outside, 'blocked.txt')));
    assert.match(outputFor('b1'), /sandbox blocked this command; the approval policy is never/);
    assert.ok(server.client.notifications('warning').some((m) => /^Not run outside the sandbox:/.test(m.params.message)));
  });

  it('keeps secrets out of the command environment', async () => {
    await boot('approval_policy = "never"', { SSH_AUTH_SOCK: '/run/user/0/ssh-agent.sock', DB_PASSWORD: 'hunter2', AWS_CREDENTIALS_FILE: '/x', OPENAI_API_KEY: 'sk-nope', HARMLESS: 'visible' });
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    model.enqueue(toolCallReply('exec_command', { cmd: 'env' }, 'v1'), textReply('Done.'));
    await runTurn(server.client, threadId, 'env');
    const output = outputFor('v1');
    assert.match(output, /HARMLESS=visible/);
    for (const name of ['SSH_AUTH_SOCK', 'DB_PASSWORD', 'AWS_CREDENTIALS_FILE', 'OPENAI_API_KEY']) assert.doesNotMatch(output, new RegExp(`^${name}=`, 'm'));
  });
});
