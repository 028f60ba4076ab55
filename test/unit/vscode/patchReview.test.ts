// The patch review's documents and editors against a fake vscode module: what goes to the multi-file changes
// editor, so that VS Code labels each file added (no original), deleted (no modified) or modified (both
// sides at the same path: not a rename), and the written change shown again, all its files at once.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { withFakeVscode, type FakeVscode } from '../../support/fakeVscodeModules';
import type { FileUpdateChange } from '../../../src/protocol';

type Fake = FakeVscode;
type Review = typeof import('../../../src/vscode/patchReview');
type Uri = { scheme: string; path: string; query: string; toString(): string };

describe('vscode/patchReview (fake vscode module)', () => {
  let fake: Fake;
  let review: Review;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-review-'));
  const file = (name: string) => path.join(root, name);

  const modules = withFakeVscode();
  before(() => {
    fake = modules.fake();
    review = modules.load<Review>('src/vscode/patchReview');
  });
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.recorded.executed.length = 0;
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(file('src/a.ts'), 'one\n');
    fs.writeFileSync(file('old.md'), 'old\n');
  });

  const update: FileUpdateChange = { path: file('src/a.ts'), kind: { type: 'update', move_path: null }, diff: createTwoFilesPatch('a', 'a', 'one\n', 'uno\n') };
  const add: FileUpdateChange = { path: file('new.md'), kind: { type: 'add' }, diff: '# new\n' };
  const remove: FileUpdateChange = { path: file('old.md'), kind: { type: 'delete' }, diff: 'old\n' };

  function setup() {
    const provider = new review.ProposedContentProvider();
    return { provider, reviewer: new review.PatchReviewer(provider, root) };
  }
  const entriesOf = (call: { args: unknown[] }) => (call.args[1] as Array<[Uri, Uri | undefined, Uri | undefined]>).map(([resource, original, modified]) => ({ resource, original, modified }));

  it('opens a change to several files with each file as VS Code labels a change: added, deleted, modified', async () => {
    const { provider, reviewer } = setup();
    await reviewer.openPending('p1', [update, add, remove]);
    const [call] = fake.recorded.executed;
    assert.equal(call!.command, 'vscode.changes');
    assert.equal(call!.args[0], 'Tandem: proposed change');
    const [modified, added, deleted] = entriesOf(call!);
    // Modified: the file against its proposed content at the same path, so not a rename.
    assert.equal(modified!.original!.toString(), `file://${file('src/a.ts')}`);
    assert.equal(modified!.modified!.scheme, review.PROPOSED_SCHEME);
    assert.equal(modified!.modified!.path, modified!.original!.path);
    assert.equal(provider.content(modified!.modified as never), 'uno\n');
    // Added: no original. Deleted: no modified, and a snapshot of what it holds on the left.
    assert.equal(added!.original, undefined);
    assert.equal(provider.content(added!.modified as never), '# new\n');
    assert.equal(deleted!.modified, undefined);
    assert.equal(deleted!.original!.path, file('old.md'));
    assert.equal(provider.content(deleted!.original as never), 'old\n');
    // Every virtual document names its review, which the editor-title actions read.
    assert.deepEqual([modified!.modified, added!.modified, deleted!.original].map((uri) => review.reviewKeyOf(uri as never)), ['p1', 'p1', 'p1']);
    assert.equal(review.reviewKeyOf(modified!.original as never), undefined, 'the file itself is no review');
    await reviewer.close('p1');
    assert.equal(provider.content(added!.modified as never), undefined, 'closing the review drops its contents');
  });

  it('opens one file in the diff editor, titled with its workspace-relative path', async () => {
    const { reviewer } = setup();
    await reviewer.openPending('p2', [update]);
    const [call] = fake.recorded.executed;
    assert.equal(call!.command, 'vscode.diff');
    assert.equal(call!.args[2], `${path.join('src', 'a.ts')} (proposed)`);
  });

  it('shows a written change again with every file in one changes editor', async () => {
    const { provider, reviewer } = setup();
    fs.writeFileSync(file('src/a.ts'), 'uno\n');
    fs.writeFileSync(file('new.md'), '# new\n');
    fs.rmSync(file('old.md'));
    await reviewer.openApplied('done:applied', [update, add, remove]);
    assert.equal(fake.recorded.executed.length, 1, 'one editor, not one per file');
    const [call] = fake.recorded.executed;
    assert.equal(call!.command, 'vscode.changes');
    assert.equal(call!.args[0], "Tandem's change", 'VS Code adds the count of files itself');
    const [modified, added, deleted] = entriesOf(call!);
    assert.equal(provider.content(modified!.original as never), 'one\n', 'the content before, reconstructed');
    assert.equal(modified!.modified!.toString(), `file://${file('src/a.ts')}`);
    assert.equal(modified!.original!.path, modified!.modified!.path);
    assert.equal(added!.original, undefined);
    assert.equal(deleted!.modified, undefined);
    assert.equal(provider.content(deleted!.original as never), 'old\n');
  });
});
