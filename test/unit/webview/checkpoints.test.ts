// The chat's reading of a thread's checkpoints: which are undone now (a restore undone in turn gives the
// turn its changes back), where each restore shows, and which checkpoint "Restore files to here" starts from.
import { strict as assert } from 'node:assert';
import type { Checkpoint } from '../../../src/protocol';
import { restoreTarget, restoresByTurn, shownCheckpoint, undoneCheckpoints } from '../../../webview/checkpoints';

const file = { path: 'a.txt', oldPath: null, status: 'modified' as const, additions: 1, deletions: 1, binary: false };
const turn = (turnId: string, createdAt: number, files = [file]): Checkpoint => ({
  turnId, kind: 'turn', workspace: '/w', scope: 'workspace', limitation: null, files, skipped: [], restoredTurnId: null, finished: true, createdAt,
});
const restore = (turnId: string, restoredTurnId: string, createdAt: number): Checkpoint => ({ ...turn(turnId, createdAt), kind: 'restore', restoredTurnId });
const turns = [
  { id: 't1', completedAt: 10 },
  { id: 't2', completedAt: 20 },
  { id: 't3', completedAt: null },
];

describe('webview/checkpoints', () => {
  it('counts a turn undone while the newest restore of it stands, and back once that restore is undone', () => {
    assert.deepEqual([...undoneCheckpoints([turn('t1', 1), restore('restore:t1:1', 't1', 12)])], ['t1']);
    const undoneTwice = [turn('t1', 1), restore('restore:t1:1', 't1', 12), restore('restore:restore:t1:1:2', 'restore:t1:1', 13)];
    assert.deepEqual([...undoneCheckpoints(undoneTwice)], ['restore:t1:1']);
    assert.deepEqual([...undoneCheckpoints([...undoneTwice, restore('restore:t1:3', 't1', 14)])], ['t1', 'restore:t1:1']);
  });

  it('shows a restore after the last turn that had ended when it was made, or before them all', () => {
    const placed = restoresByTurn([turn('t1', 1), restore('r1', 't1', 15), restore('r2', 't1', 25), restore('r0', 't1', 5)], turns);
    assert.deepEqual(Object.fromEntries([...placed].map(([at, list]) => [at, list.map((c) => c.turnId)])), { t1: ['r1'], t2: ['r2'], '': ['r0'] });
  });

  it('restores files to a message from its own checkpoint or the first later one that changed files', () => {
    const checkpoints = [turn('t1', 1, []), turn('t2', 11), { ...turn('t3', 21), finished: false }];
    assert.equal(restoreTarget(checkpoints, turns, 0), 't2');
    assert.equal(restoreTarget(checkpoints, turns, 1), 't2');
    assert.equal(restoreTarget(checkpoints, turns, 2), null, 'an unfinished checkpoint is no target yet');
    assert.equal(shownCheckpoint(turn('t1', 1, [])), false);
    assert.equal(shownCheckpoint({ ...turn('t1', 1, []), limitation: 'too large' }), true);
  });
});
