import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SpawnedServer } from '../support/protocolClient';
import { runTurn, startThread } from '../support/session';
import { textReply, type FakeModelServer } from '../support/fakeModel';
import { Fixture } from '../support/fixture';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

describe('integration: git context', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  let model: FakeModelServer;
  let server: SpawnedServer;
  let root: string;
  let clone: string;
  let pushedSha: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-git-'));
    const origin = path.join(root, 'origin.git');
    git(root, 'init', '--bare', origin);
    const seed = path.join(root, 'seed');
    git(root, 'clone', origin, seed);
    fs.writeFileSync(path.join(seed, 'app.txt'), 'one\ntwo\n');
    git(seed, 'add', '.');
    git(seed, 'commit', '-m', 'first');
    git(seed, 'push', 'origin', 'HEAD:main');
    pushedSha = git(seed, 'rev-parse', 'HEAD');

    clone = path.join(root, 'clone');
    git(root, 'clone', origin, clone);
    // A local commit the remote does not have, an uncommitted edit and an untracked file.
    fs.writeFileSync(path.join(clone, 'app.txt'), 'one\ntwo\nthree\n');
    git(clone, 'commit', '-am', 'local work');
    fs.writeFileSync(path.join(clone, 'app.txt'), 'zero\none\ntwo\nthree\n');
    fs.writeFileSync(path.join(clone, 'notes.md'), 'new file\n');
  });
  beforeEach(async () => {
    ({ model, server } = await fixture.boot());
  });
  afterEach(() => fixture.close());

  it('diffs the working tree against the merge-base with the upstream, untracked files included', async () => {
    const response = await server.client.request('gitDiffToRemote', { cwd: clone });
    assert.equal(response.error, undefined, JSON.stringify(response.error));
    const { sha, diff } = response.result as { sha: string; diff: string };
    assert.equal(sha, pushedSha, 'the merge-base with origin/main');
    assert.match(diff, /diff --git a\/app\.txt b\/app\.txt/);
    assert.match(diff, /^\+zero$/m, 'the uncommitted edit');
    assert.match(diff, /^\+three$/m, 'the unpushed commit');
    assert.match(diff, /diff --git a\/notes\.md b\/notes\.md\nnew file mode 100644/, 'the untracked file as added');
    assert.match(diff, /^\+new file$/m);
  });

  it('falls back to the remote default branch when the branch has no upstream', async () => {
    git(clone, 'checkout', '-q', '-b', 'topic');
    try {
      const response = await server.client.request('gitDiffToRemote', { cwd: clone });
      assert.equal(response.result.sha, pushedSha);
    } finally {
      git(clone, 'checkout', '-q', 'main');
    }
  });

  it('says clearly when cwd is not a repository, has no remote, or is not a folder', async () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-plain-'));
    const notRepo = await server.client.request('gitDiffToRemote', { cwd: plain });
    assert.equal(notRepo.error!.code, -32600);
    assert.match(notRepo.error!.message, /is not inside a git repository/);

    const local = path.join(root, 'local-only');
    fs.mkdirSync(local);
    git(local, 'init', '-q');
    fs.writeFileSync(path.join(local, 'a.txt'), 'a\n');
    git(local, 'add', '.');
    git(local, 'commit', '-qm', 'a');
    const noRemote = await server.client.request('gitDiffToRemote', { cwd: local });
    assert.match(noRemote.error!.message, /no upstream branch and no remote default branch/);

    const missing = await server.client.request('gitDiffToRemote', { cwd: path.join(plain, 'nope') });
    assert.match(missing.error!.message, /is not a folder/);
    const relative = await server.client.request('gitDiffToRemote', { cwd: 'src' });
    assert.match(relative.error!.message, /must be an absolute path/);
  });

  it('records commit, branch and remote in session_meta and returns them from thread/read', async () => {
    const threadId = await startThread(server.client, { cwd: clone });
    const read = await server.client.request('thread/read', { threadId });
    const head = git(clone, 'rev-parse', 'HEAD');
    assert.deepEqual(read.result.thread.gitInfo, { sha: head, branch: 'main', originUrl: path.join(root, 'origin.git') });
    model.enqueue(textReply('noted'));
    await runTurn(server.client, threadId, 'hello');
    const meta = JSON.parse(fs.readFileSync(read.result.thread.path as string, 'utf8').split('\n')[0]!) as { type: string; payload: { git: unknown } };
    assert.equal(meta.type, 'session_meta');
    assert.deepEqual(meta.payload.git, { commit_hash: head, branch: 'main', repository_url: path.join(root, 'origin.git') });
    const plain = await server.client.request('thread/start', { cwd: os.tmpdir() });
    assert.equal(plain.result.thread.gitInfo, null);
  });
});
