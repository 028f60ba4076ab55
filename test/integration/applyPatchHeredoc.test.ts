// apply_patch sent as a shell script through exec_command (`apply_patch <<'EOF' … EOF`, `applypatch`,
// `cd dir && …`, `workdir`): a real patch, as codex 0.169 runs it — a fileChange item, approval as for the
// tool, the turn diff, the file written, and what codex answers the model; a bad patch gives the patch error.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { patchOf, textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';
import { parsePatchCommand } from '../../src/core/tools/patchCommand';

const heredoc = (patch: string, head = "apply_patch <<'EOF'", tail = 'EOF') => `${head}\n${patch}\n${tail}`;

describe('integration: apply_patch through exec_command', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());
  const outputFor = (callId: string) => fixture.model.outputFor(callId);
  const completedItems = () => fixture.server.client.notifications('item/completed').map((m) => m.params.item);

  it('reads the forms codex intercepts, and leaves every other script to the shell', () => {
    const patch = patchOf('*** Add File: a.txt', '+a');
    assert.deepEqual(parsePatchCommand(heredoc(patch)), { patch, dir: undefined });
    assert.deepEqual(parsePatchCommand(heredoc(patch, 'applypatch <<EOF')), { patch, dir: undefined });
    assert.deepEqual(parsePatchCommand(heredoc(patch, 'apply_patch <<"PATCH"', 'PATCH') + '\n'), { patch, dir: undefined });
    assert.deepEqual(parsePatchCommand(heredoc(patch, "cd 'my dir' && apply_patch <<'EOF'")), { patch, dir: 'my dir' });
    assert.equal(parsePatchCommand(`${heredoc(patch)}\necho done`), undefined, 'a second command after the heredoc');
    assert.equal(parsePatchCommand(`apply_patch '${patch}'`), undefined, 'the patch as an argument is not the heredoc form');
    assert.equal(parsePatchCommand(heredoc(patch, "rm -rf x; apply_patch <<'EOF'")), undefined);
    assert.equal(parsePatchCommand(heredoc(patch, "cd $HOME && apply_patch <<'EOF'")), undefined, 'an expansion is for the shell');
    assert.equal(parsePatchCommand(heredoc(patch, "apply_patch -v <<'EOF'")), undefined);
  });

  it('applies a heredoc patch as a fileChange, with the turn diff and codex answer', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' });
    fs.writeFileSync(path.join(temp.workspace, 'a.txt'), 'one\ntwo\n');
    const patch = patchOf('*** Update File: a.txt', '@@', '-one', '+uno', '*** Add File: b.txt', '+bee');
    model.enqueue(toolCallReply('exec_command', { cmd: heredoc(patch) }, 'c1'), textReply('patched'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const done = await runTurn(server.client, threadId, 'patch it');
    assert.equal(done.params.turn.status, 'completed');
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'a.txt'), 'utf8'), 'uno\ntwo\n');
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'b.txt'), 'utf8'), 'bee\n');
    const items = completedItems().filter((i) => i.type !== 'userMessage' && i.type !== 'agentMessage');
    assert.deepEqual(items.map((i) => [i.type, i.id, i.status]), [['fileChange', 'c1', 'completed']], 'a fileChange item, no command');
    assert.deepEqual(items[0].changes.map((c: { path: string; kind: { type: string } }) => [path.basename(c.path), c.kind.type]), [['a.txt', 'update'], ['b.txt', 'add']]);
    const diff = server.client.notifications('turn/diff/updated').at(-1)!.params.diff as string;
    assert.match(diff, /-one\n\+uno/);
    assert.match(diff, /\+\+\+ b\/b\.txt/);
    assert.match(outputFor('c1'), /^Wall time: \d+\.\d{4} seconds\nOutput:\nExit code: 0\nWall time: \d+ seconds\nOutput:\nSuccess\. Updated the following files:\nM a\.txt\nA b\.txt\n$/);
  });

  it('asks under untrusted as for the tool, and a decline writes nothing', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(toolCallReply('exec_command', { cmd: heredoc(patchOf('*** Add File: yes.txt', '+y'), 'applypatch <<EOF') }, 'c1'), textReply('ok'));
    model.enqueue(toolCallReply('exec_command', { cmd: heredoc(patchOf('*** Add File: no.txt', '+n')) }, 'c2'), textReply('ok'));
    const threadId = await startThread(server.client, { cwd: temp.workspace, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    const accepted = server.client.answerNext('item/fileChange/requestApproval', { decision: 'accept' });
    await runTurn(server.client, threadId, 'add yes');
    const request = await accepted;
    assert.equal(request.params.itemId, 'c1');
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'yes.txt'), 'utf8'), 'y\n');
    assert.match(outputFor('c1'), /Success\. Updated the following files:\nA yes\.txt/);
    assert.equal(server.client.notifications('item/commandExecution/requestApproval').length, 0, 'asked about a file change, not a command');

    void server.client.answerNext('item/fileChange/requestApproval', { decision: 'decline' });
    await runTurn(server.client, threadId, 'add no');
    assert.equal(fs.existsSync(path.join(temp.workspace, 'no.txt')), false);
    assert.equal(completedItems().find((i) => i.id === 'c2')?.status, 'declined');
    assert.match(outputFor('c2'), /declined this patch/);
  });

  it('runs the patch in the folder `cd dir &&` or workdir names', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' });
    fs.mkdirSync(path.join(temp.workspace, 'sub'));
    fs.mkdirSync(path.join(temp.workspace, 'other'));
    model.enqueue(
      toolCallReply('exec_command', { cmd: heredoc(patchOf('*** Add File: one.txt', '+1'), "cd sub && apply_patch <<'EOF'") }, 'c1'),
      toolCallReply('exec_command', { cmd: heredoc(patchOf('*** Add File: two.txt', '+2')), workdir: 'other' }, 'c2'),
      textReply('ok'),
    );
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'add them');
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'sub', 'one.txt'), 'utf8'), '1\n');
    assert.equal(fs.readFileSync(path.join(temp.workspace, 'other', 'two.txt'), 'utf8'), '2\n');
    assert.match(outputFor('c1'), /\nA one\.txt\n$/);
  });

  it('gives the model the patch error for a bad patch, not a shell error', async () => {
    const { model, temp, server } = await fixture.boot({ extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' });
    model.enqueue(
      toolCallReply('exec_command', { cmd: heredoc('hello') }, 'c1'),
      toolCallReply('exec_command', { cmd: heredoc(patchOf('*** Update File: missing.txt', '@@', '-x', '+y')) }, 'c2'),
      textReply('will fix'),
    );
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    await runTurn(server.client, threadId, 'patch');
    assert.match(outputFor('c1'), /^apply_patch verification failed: .*The first line of the patch must be '\*\*\* Begin Patch'/);
    assert.match(outputFor('c2'), /^apply_patch verification failed: .*missing\.txt/);
    assert.doesNotMatch(outputFor('c1') + outputFor('c2'), /command not found|Process exited/);
    assert.deepEqual(completedItems().filter((i) => i.type === 'commandExecution' || i.type === 'fileChange'), [], 'no item for a patch that does not parse, as codex');
  });
});
