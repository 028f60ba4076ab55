import { strict as assert } from 'node:assert';
import { alwaysRunTitle, answerFor, choiceAnswer, commandPrompt, fileChoices, patchSummary, sandboxNote, waitingNotice } from '../../../src/vscode/approvalPrompts';

describe('vscode/approvalPrompts', () => {
  it('shows the command, cwd, reason and sandbox state, and maps the choices', () => {
    const prompt = commandPrompt({ command: 'npm install', cwd: '/w', reason: 'needs the network' }, 'Runs in the sandbox.');
    assert.equal(prompt.message, 'Tandem wants to run a command');
    assert.equal(prompt.detail, 'npm install\n\nin /w\n\nneeds the network\n\nRuns in the sandbox.\n\nNot Now, Cancel or Escape leave the command waiting; its card in the chat opens this again.');
    assert.equal(answerFor(prompt, 'Run'), 'accept');
    assert.equal(answerFor(prompt, 'Run for This Session'), 'acceptForSession');
    assert.equal(answerFor(prompt, 'Deny'), 'decline');
  });

  it('offers to always run commands that start with the prefix the server proposes, and says what that means', () => {
    const prompt = commandPrompt({ command: "/bin/bash -lc 'git pull --rebase'", cwd: '/w', proposedExecpolicyAmendment: ['git', 'pull', '--rebase'] }, 'Runs in the sandbox.');
    assert.deepEqual(prompt.choices.map((c) => c.title), ['Not Now', 'Run', 'Run for This Session', 'Always Run “git pull --rebase”', 'Deny']);
    assert.equal(answerFor(prompt, 'Always Run “git pull --rebase”'), 'acceptPrefix');
    assert.match(prompt.detail, /every later command that starts with: git pull --rebase/);
    assert.equal(alwaysRunTitle(['/bin/bash', '-lc', 'echo $(date) && a very long script indeed']), 'Always Run “/bin/bash -lc echo $(date) && a…”');
    assert.ok(!commandPrompt({ command: 'make', cwd: '/w' }, 'x').choices.some((c) => c.answer === 'acceptPrefix'), 'no prefix proposed, no button');
  });

  it('says plainly when an approved command would run without a sandbox', () => {
    const sandboxed = 'Sandbox: it can write only inside the workspace, without network access.';
    for (const reason of ['No sandbox is available on this machine (bwrap missing): if you approve, the command runs with your full permissions.', 'deploy it (It asks to run outside the sandbox.)', 'The command failed inside the sandbox. Run it again without the sandbox?']) {
      const detail = commandPrompt({ command: 'make', cwd: '/w', reason }, sandboxed).detail;
      assert.match(detail, /No sandbox: if you run it, it runs with your full permissions\./);
      assert.doesNotMatch(detail, /can write only inside the workspace/);
    }
    assert.match(commandPrompt({ command: 'make', cwd: '/w', reason: null }, sandboxed).detail, /can write only inside the workspace/);
  });

  it('puts a button that decides nothing first, where Enter lands, and treats a dismissal the same', () => {
    const prompt = commandPrompt({ command: 'git clean -fdx && git checkout -- .', cwd: '/w' }, 'No sandbox.');
    // VS Code focuses (custom dialog) or defaults to (native dialog) the first button of a modal.
    assert.deepEqual(prompt.choices.map((c) => c.title), ['Not Now', 'Run', 'Run for This Session', 'Deny']);
    assert.equal(prompt.choices[0]!.answer, 'later');
    assert.equal(answerFor(prompt, 'Not Now'), 'later', 'Enter on the default button leaves the command waiting');
    assert.equal(answerFor(prompt, undefined), 'later', 'Escape, the close button or VS Code\'s own Cancel leave it waiting too');
    assert.equal(answerFor(prompt, 'Cancel'), 'later');
    assert.equal(new Set(prompt.choices.map((c) => c.answer)).size, prompt.choices.length, 'one button per answer');
  });

  it('says in the notification which command waits, shortened', () => {
    assert.equal(waitingNotice('touch wiped.txt'), 'Tandem is waiting for your approval to run: touch wiped.txt');
    assert.equal(waitingNotice(null), 'Tandem is waiting for your approval to run: a command');
    assert.equal(waitingNotice('x'.repeat(300)).length, 'Tandem is waiting for your approval to run: '.length + 120);
  });

  it('summarises a patch for the notification that goes with the diff review', () => {
    const changes = [
      { path: '/w/src/a.ts', kind: { type: 'update' as const, move_path: null }, diff: '' },
      { path: '/w/new.md', kind: { type: 'add' as const }, diff: '' },
    ];
    assert.equal(patchSummary(changes, null), 'Tandem wants to change 2 files (a.ts, new.md). Review the diff, then accept, reject or choose files from its title bar or the chat.');
    const many = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ path: `/w/${n}`, kind: { type: 'delete' as const }, diff: '' }));
    assert.equal(
      patchSummary(many, 'The patch writes outside the workspace.'),
      'Tandem wants to change 5 files (a, b, c and 2 more). Review the diff, then accept, reject or choose files from its title bar or the chat. The patch writes outside the workspace.',
    );
    assert.equal(patchSummary(changes.slice(0, 1), null), 'Tandem wants to change 1 file (a.ts). Review the diff, then accept or reject from its title bar or the chat.');
  });

  it('lists the files of a change for the picker, all checked, and reads what stays checked', () => {
    const changes = [
      { path: '/w/src/a.ts', kind: { type: 'update' as const, move_path: '/w/src/b.ts' }, diff: '' },
      { path: '/w/c.ts', kind: { type: 'update' as const, move_path: null }, diff: '' },
      { path: '/w/new.md', kind: { type: 'add' as const }, diff: '' },
      { path: '/w/old.md', kind: { type: 'delete' as const }, diff: '' },
    ];
    const choices = fileChoices(changes, (file) => file.replace('/w/', ''));
    assert.deepEqual(
      choices.map((c) => [c.label, c.description, c.picked, c.path]),
      [
        ['src/a.ts', 'moved to src/b.ts', true, '/w/src/a.ts'],
        ['c.ts', 'modified', true, '/w/c.ts'],
        ['new.md', 'added', true, '/w/new.md'],
        ['old.md', 'deleted', true, '/w/old.md'],
      ],
    );
    assert.equal(choiceAnswer(changes, undefined), undefined, 'dismissed: nothing decided');
    assert.deepEqual(choiceAnswer(changes, []), { decision: 'decline' });
    assert.deepEqual(choiceAnswer(changes, choices), { decision: 'accept' });
    assert.deepEqual(choiceAnswer(changes, [choices[3]!, choices[0]!]), { decision: 'accept', files: ['/w/old.md', '/w/src/a.ts'] });
  });

  it('says where an approved command runs, from the thread\'s sandbox', () => {
    assert.equal(sandboxNote({ type: 'dangerFullAccess' }, false), 'No sandbox: the command runs with your full permissions.');
    assert.equal(sandboxNote({ type: 'workspaceWrite', networkAccess: false }, false), 'Sandbox: it can write only inside the workspace, without network access.');
    assert.equal(sandboxNote({ type: 'readOnly' }, false), 'Sandbox: read-only. The command cannot change files.');
    assert.equal(sandboxNote({ type: 'dangerFullAccess' }, true), 'The folder is not trusted: the command runs read-only.');
    assert.equal(sandboxNote(undefined, false), 'Runs in the thread’s sandbox.');
  });
});
