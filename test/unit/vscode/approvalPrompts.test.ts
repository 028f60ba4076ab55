import { strict as assert } from 'node:assert';
import { commandPrompt, decisionFor, patchPrompt } from '../../../src/vscode/approvalPrompts';

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

  it('lists the files and the diff of a patch, relative to the workspace, and dismissing rejects', () => {
    const diff = '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-old\n+new';
    const prompt = patchPrompt(
      [
        { path: '/w/src/a.ts', kind: { type: 'update', move_path: null }, diff },
        { path: '/w/new.md', kind: { type: 'add' }, diff: '@@ -0,0 +1 @@\n+# hi' },
      ],
      'The patch writes outside the workspace.',
      '/w',
    );
    assert.equal(prompt.message, 'Tandem wants to change 2 files');
    assert.match(prompt.detail, /^The patch writes outside the workspace\.\n\nM src\/a\.ts\nA new\.md\n\n@@ -1 \+1 @@\n-old\n\+new/);
    assert.doesNotMatch(prompt.detail, /\+\+\+ b\//);
    assert.equal(decisionFor(prompt, undefined), 'decline');
    assert.equal(decisionFor(prompt, 'Accept for Session'), 'acceptForSession');
    const long = patchPrompt([{ path: '/w/big', kind: { type: 'add' }, diff: Array.from({ length: 100 }, (_, i) => `+line ${i}`).join('\n') }], null, '/w');
    assert.match(long.detail, /… 60 more lines$/);
  });
});
