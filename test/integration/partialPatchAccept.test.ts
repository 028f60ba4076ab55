// Tandem's partial accept of a patch over the real server: the file-change approval answered with
// `tandemAcceptedFiles` writes only those files (the others stay as they were), the completed item and the
// turn diff show only what was written, and the model is told exactly what was applied and what the user
// rejected. A file's `content` (the hunks the user kept, their edits) is what gets written, and the model is
// told how it differs from its proposal. An answer naming files the patch does not have, an empty list, a
// malformed list, or content for a file the patch deletes writes nothing.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { patchOf, textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

const THREE_FILES = patchOf('*** Update File: a.txt', '@@', '-one', '+uno', '*** Add File: b.txt', '+bee', '*** Delete File: c.txt');

describe('integration: a patch accepted file by file (tandemAcceptedFiles)', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  /** A workspace with a.txt and c.txt, a thread that asks before every patch, and the real path of a file. */
  async function setup() {
    const { model, temp, server } = await fixture.boot();
    fs.writeFileSync(path.join(temp.workspace, 'a.txt'), 'one\ntwo\n');
    fs.writeFileSync(path.join(temp.workspace, 'c.txt'), 'sea\n');
    const threadId = await startThread(server.client, { cwd: temp.workspace, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
    // The item's changes name files by their real path; the answer names them the same way.
    const real = (name: string) => path.join(fs.realpathSync(temp.workspace), name);
    const read = (name: string) => (fs.existsSync(path.join(temp.workspace, name)) ? fs.readFileSync(path.join(temp.workspace, name), 'utf8') : null);
    const completed = (id: string) => server.client.notifications('item/completed').map((m) => m.params.item).find((item) => item.id === id);
    return { model, server, threadId, real, read, completed };
  }

  it('writes only the accepted files, shows what was written and tells the model which files were rejected', async () => {
    const { model, server, threadId, real, read, completed } = await setup();
    model.enqueue(toolCallReply('apply_patch', { input: THREE_FILES }, 'p1'), textReply('I will leave c.txt alone.'));
    const asked = server.client.answerNext('item/fileChange/requestApproval', { decision: 'accept', tandemAcceptedFiles: [{ path: real('a.txt') }, { path: real('b.txt') }] });
    const done = await runTurn(server.client, threadId, 'change three files');
    await asked;
    assert.equal(done.params.turn.status, 'completed');
    assert.equal(read('a.txt'), 'uno\ntwo\n', 'the accepted update is written');
    assert.equal(read('b.txt'), 'bee\n', 'the accepted add is written');
    assert.equal(read('c.txt'), 'sea\n', 'the rejected delete is not');

    const item = completed('p1');
    assert.equal(item.status, 'completed');
    assert.deepEqual(item.changes.map((c: { path: string }) => c.path), [real('a.txt'), real('b.txt')], 'the item lists what was written');
    assert.deepEqual(item.tandemRejectedChanges.map((c: { path: string; kind: { type: string } }) => [c.path, c.kind.type]), [[real('c.txt'), 'delete']]);
    const diff = server.client.notifications('turn/diff/updated').at(-1)!.params.diff as string;
    assert.match(diff, /\+\+\+ b\/a\.txt/);
    assert.match(diff, /\+\+\+ b\/b\.txt/);
    assert.doesNotMatch(diff, /c\.txt/, 'the turn diff has only what was written');

    // The model's next request carries exactly what happened.
    const output = (model.lastTurnRequest().body.input as Array<{ type: string; call_id?: string; output?: string }>).find((i) => i.call_id === 'p1' && i.type.endsWith('_output'))?.output;
    assert.equal(
      output,
      [
        'Partly applied: the user accepted 2 of the 3 files of this patch.',
        'Updated the following files:',
        'M a.txt',
        'A b.txt',
        'Rejected by the user, not changed:',
        'D c.txt',
        'Do not make the rejected changes another way (another patch, a command); if they are still needed, ask the user.',
        '',
      ].join('\n'),
    );

    // A new server reads the thread back from its rollout with the rejected file still told apart.
    const again = await fixture.restart();
    const reread = await again.client.request('thread/read', { threadId, includeTurns: true });
    const kept = (reread.result.thread.turns as Array<{ items: Array<{ id: string; changes?: Array<{ path: string }>; tandemRejectedChanges?: Array<{ path: string }> }> }>).flatMap((t) => t.items).find((i) => i.id === 'p1');
    assert.deepEqual(kept?.changes?.map((c) => c.path), [real('a.txt'), real('b.txt')]);
    assert.deepEqual(kept?.tandemRejectedChanges?.map((c) => c.path), [real('c.txt')]);
  });

  it('writes the content the user accepted hunk by hunk, and tells the model how it differs from its proposal', async () => {
    const { model, server, threadId, real, read, completed } = await setup();
    const lines = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    fs.writeFileSync(path.join(path.dirname(real('a.txt')), 'a.txt'), `${lines.join('\n')}\n`);
    const twoHunks = patchOf('*** Update File: a.txt', '@@', '-one', '+uno', '@@', ' nine', '-ten', '+diez', '*** Add File: b.txt', '+bee', '*** Delete File: c.txt');
    model.enqueue(toolCallReply('apply_patch', { input: twoHunks }, 'h1'), textReply('Understood.'));
    // The first hunk of a.txt kept, the second rejected; b.txt edited by the user; c.txt's delete accepted as proposed.
    const kept = `uno\n${lines.slice(1).join('\n')}\n`;
    void server.client.answerNext('item/fileChange/requestApproval', {
      decision: 'accept',
      tandemAcceptedFiles: [{ path: real('a.txt'), content: kept }, { path: real('b.txt'), content: 'bee, as the user wrote it\n' }, { path: real('c.txt') }],
    });
    await runTurn(server.client, threadId, 'two hunks');
    assert.equal(read('a.txt'), kept, 'only the kept hunk is written');
    assert.equal(read('b.txt'), 'bee, as the user wrote it\n');
    assert.equal(read('c.txt'), null);

    const item = completed('h1');
    const diffOf = (name: string) => item.changes.find((c: { path: string }) => c.path === real(name)).diff as string;
    assert.match(diffOf('a.txt'), /\+uno/);
    assert.doesNotMatch(diffOf('a.txt'), /diez/, 'the item shows what was written');
    assert.equal(diffOf('b.txt'), 'bee, as the user wrote it\n');
    const output = model.outputFor('h1');
    assert.ok(output.startsWith('Success. Updated the following files:\nM a.txt\nA b.txt\nD c.txt\n'), output);
    assert.match(output, /The user reviewed this patch and changed 2 files before it was written/);
    assert.match(output, /--- a\/a\.txt \(your proposal\)\n\+\+\+ b\/a\.txt \(written\)\n@@ -7,4 \+7,4 @@\n seven\n eight\n nine\n-diez\n\+ten\n/);
    assert.match(output, /-bee\n\+bee, as the user wrote it\n/);
    assert.match(output, /do not make again what the user removed/);
    const diff = server.client.notifications('turn/diff/updated').at(-1)!.params.diff as string;
    assert.doesNotMatch(diff, /diez/, 'the turn diff has what was written');

    // Content for a file the patch deletes cannot be what the user meant: nothing is written.
    model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Update File: a.txt', '@@', '-uno', '+eins', '*** Add File: c.txt', '+sea again') }, 'h2'), textReply('ok'));
    model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Delete File: b.txt') }, 'h3'), textReply('ok'));
    void server.client.answerNext('item/fileChange/requestApproval', { decision: 'accept', tandemAcceptedFiles: [{ path: real('a.txt'), content: 'eins\n' }, { path: real('c.txt') }] });
    await runTurn(server.client, threadId, 'edit and add');
    assert.equal(read('a.txt'), 'eins\n');
    void server.client.answerNext('item/fileChange/requestApproval', { decision: 'accept', tandemAcceptedFiles: [{ path: real('b.txt'), content: 'keep me\n' }] });
    await runTurn(server.client, threadId, 'delete b');
    assert.equal(completed('h3').status, 'declined');
    assert.equal(read('b.txt'), 'bee, as the user wrote it\n');
    assert.match(model.outputFor('h3'), /^patch rejected: the approval gave content for .*b\.txt, which this patch deletes; nothing was written$/);
  });

  it('remembers only the accepted files for the session', async () => {
    const { model, server, threadId, real, read } = await setup();
    model.enqueue(toolCallReply('apply_patch', { input: THREE_FILES }, 'p1'), textReply('ok'));
    void server.client.answerNext('item/fileChange/requestApproval', { decision: 'acceptForSession', tandemAcceptedFiles: [{ path: real('a.txt') }] });
    await runTurn(server.client, threadId, 'change three files');
    assert.equal(read('a.txt'), 'uno\ntwo\n');
    assert.equal(read('b.txt'), null);
    assert.equal(read('c.txt'), 'sea\n');
    const asked = () => server.client.received.filter((m) => m.method === 'item/fileChange/requestApproval').length;
    assert.equal(asked(), 1);

    model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Update File: a.txt', '@@', '-uno', '+eins') }, 'p2'), textReply('ok'));
    await runTurn(server.client, threadId, 'again a.txt');
    assert.equal(read('a.txt'), 'eins\ntwo\n', 'the accepted file is not asked about again');
    assert.equal(asked(), 1);

    model.enqueue(toolCallReply('apply_patch', { input: patchOf('*** Delete File: c.txt') }, 'p3'), textReply('ok'));
    void server.client.answerNext('item/fileChange/requestApproval', { decision: 'decline' });
    await runTurn(server.client, threadId, 'again c.txt');
    assert.equal(asked(), 2, 'the rejected file is asked about again');
    assert.equal(read('c.txt'), 'sea\n');
  });

  it('writes nothing for an empty list (a decline), for a path not in the patch, or for a list it cannot read', async () => {
    const { model, server, threadId, real, read, completed } = await setup();
    const answers: Array<[string, unknown]> = [
      ['empty', { decision: 'accept', tandemAcceptedFiles: [] }],
      ['unknown', { decision: 'accept', tandemAcceptedFiles: [{ path: real('a.txt') }, { path: real('elsewhere.txt') }] }],
      // A per-hunk answer this server does not know is refused, not read as "the whole file".
      ['malformed', { decision: 'accept', tandemAcceptedFiles: [{ path: real('a.txt'), hunks: [0] }] }],
    ];
    for (const [id, answer] of answers) {
      model.enqueue(toolCallReply('apply_patch', { input: THREE_FILES }, id), textReply('ok'));
      void server.client.answerNext('item/fileChange/requestApproval', answer);
      await runTurn(server.client, threadId, `try ${id}`);
      assert.equal(completed(id).status, 'declined', id);
      assert.equal(completed(id).changes.length, 3, `${id}: the declined item still shows the whole proposal`);
      assert.equal(completed(id).tandemRejectedChanges, undefined);
    }
    assert.equal(read('a.txt'), 'one\ntwo\n');
    assert.equal(read('b.txt'), null);
    assert.equal(read('c.txt'), 'sea\n');
    assert.match(model.outputFor('empty'), /The user declined this patch; nothing was written/);
    assert.equal(model.outputFor('unknown'), `patch rejected: the approval accepted files that are not in this patch (${real('elsewhere.txt')}); nothing was written`);
    assert.match(model.outputFor('malformed'), /^patch rejected: the approval's list of accepted files could not be read \(tandemAcceptedFiles .*\); nothing was written$/);
    const warnings = server.client.notifications('warning').map((m) => m.params.message as string);
    assert.equal(warnings.filter((w) => w.startsWith('Not applied: the approval')).length, 2, 'the user sees why the last two were not written');
  });
});
