import { strict as assert } from 'node:assert';
import { commandPrompt, decisionFor, patchSummary, sandboxNote } from '../../../src/vscode/approvalPrompts';

describe('vscode/approvalPrompts', () => {
  it('shows the command, cwd, reason and sandbox state, and maps the choices', () => {
    const prompt = commandPrompt({ command: 'npm install', cwd: '/w', reason: 'needs the network' }, 'Runs in the sandbox.');
    assert.equal(prompt.message, 'Tandem wants to run a command');
    assert.equal(prompt.detail, 'npm install\n\nin /w\n\nneeds the network\n\nRuns in the sandbox.');
    assert.deepEqual(prompt.choices.map((c) => c.title), ['Run', 'Run for This Session', 'Deny']);
    assert.equal(decisionFor(prompt, 'Run'), 'accept');
    assert.equal(decisionFor(prompt, 'Run for This Session'), 'acceptForSession');
    assert.equal(decisionFor(prompt, 'Deny'), 'decline');
    assert.equal(decisionFor(prompt, undefined), 'cancel', 'dismissing a command prompt stops the turn');
  });

  it('summarises a patch for the notification that goes with the diff review', () => {
    const changes = [
      { path: '/w/src/a.ts', kind: { type: 'update' as const, move_path: null }, diff: '' },
      { path: '/w/new.md', kind: { type: 'add' as const }, diff: '' },
    ];
    assert.equal(patchSummary(changes, null), 'Tandem wants to change 2 files (a.ts, new.md). Review the diff, then accept or reject.');
    const many = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ path: `/w/${n}`, kind: { type: 'delete' as const }, diff: '' }));
    assert.equal(patchSummary(many, 'The patch writes outside the workspace.'), 'Tandem wants to change 5 files (a, b, c and 2 more). Review the diff, then accept or reject. The patch writes outside the workspace.');
  });

  it('says where an approved command runs, from the thread\'s sandbox', () => {
    assert.equal(sandboxNote({ type: 'dangerFullAccess' }, false), 'No sandbox: the command runs with your full permissions.');
    assert.equal(sandboxNote({ type: 'workspaceWrite', networkAccess: false }, false), 'Sandbox: it can write only inside the workspace, without network access.');
    assert.equal(sandboxNote({ type: 'readOnly' }, false), 'Sandbox: read-only. The command cannot change files.');
    assert.equal(sandboxNote({ type: 'dangerFullAccess' }, true), 'The folder is not trusted: the command runs read-only.');
    assert.equal(sandboxNote(undefined, false), 'Runs in the thread’s sandbox.');
  });
});
