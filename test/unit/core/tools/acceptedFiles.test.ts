// The partial accept of a patch, on its own: which changes a list of accepted paths selects, the checked
// targets those changes stand for (a move has two), and the output the model reads.
import { strict as assert } from 'node:assert';
import type { FileUpdateChange } from '../../../../src/protocol';
import type { PlannedChange } from '../../../../src/core/tools/applyPatch/applier';
import { partialOutput, selectAccepted, targetsOf } from '../../../../src/core/tools/applyPatch/acceptedFiles';

const change = (file: string): FileUpdateChange => ({ path: file, kind: { type: 'update', move_path: null }, diff: '' });
const planned = (kind: PlannedChange['kind'], file: string, movePath?: string): PlannedChange => ({ kind, path: file, movePath, oldContent: '', newContent: '', diff: '' });

describe('core/tools/applyPatch/acceptedFiles', () => {
  const changes = [change('/w/a'), change('/w/b'), change('/w/c')];

  it('reads no list as the whole patch, an empty one as nothing, and a list of every file as the whole patch', () => {
    assert.deepEqual(selectAccepted(changes, undefined), { kind: 'all' });
    assert.deepEqual(selectAccepted(changes, []), { kind: 'none' });
    assert.deepEqual(selectAccepted(changes, ['/w/c', '/w/a', '/w/b', '/w/a']), { kind: 'all' });
  });

  it('selects the named files in the patch order and refuses a path the patch does not have', () => {
    assert.deepEqual(selectAccepted(changes, ['/w/c', '/w/a']), { kind: 'some', accepted: [0, 2], rejected: [1] });
    assert.deepEqual(selectAccepted(changes, ['/w/a', 'a', '/w/zzz']), { kind: 'unknown', paths: ['a', '/w/zzz'] });
  });

  it('picks the checked targets of the selected changes, two for a move', () => {
    const plan = [planned('update', '/w/a', '/w/moved'), planned('delete', '/w/b'), planned('add', '/w/c')];
    const targets = [
      { lexical: '/w/a', real: '/r/a', unlink: true },
      { lexical: '/w/moved', real: '/r/moved', unlink: false },
      { lexical: '/w/b', real: '/r/b', unlink: true },
      { lexical: '/w/c', real: '/r/c', unlink: false },
    ];
    assert.deepEqual(targetsOf(plan, targets, [0, 2]).map((t) => t.real), ['/r/a', '/r/moved', '/r/c']);
    assert.deepEqual(targetsOf(plan, targets, [1]).map((t) => t.real), ['/r/b']);
  });

  it('lists applied and rejected files relative to the cwd, a move with its destination', () => {
    const output = partialOutput([planned('update', '/w/src/a.ts', '/w/src/b.ts')], [planned('add', '/w/new.md'), planned('delete', '/w/old.md')], '/w');
    assert.equal(
      output,
      'Partly applied: the user accepted 1 of the 3 files of this patch.\nUpdated the following files:\nM src/a.ts -> src/b.ts\nRejected by the user, not changed:\nA new.md\nD old.md\n' +
        'Do not make the rejected changes another way (another patch, a command); if they are still needed, ask the user.\n',
    );
  });
});
