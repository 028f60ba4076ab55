// What a thread is told before its first turn, as codex 0.169 tells it: the global AGENTS.md of the home,
// then the project's from the repository root down to the cwd, in one user message; thread responses list
// every file used. And a project's own `.codex/config.toml`, applied only when the user trusts the folder.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn } from '../support/session';

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

describe('integration: AGENTS.md instructions and project config', function () {
  this.timeout(40_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  /** The text parts of the user messages in the model's last request. */
  const userTexts = () => {
    const input = fixture.model.lastTurnRequest().body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
    return input.filter((i) => i.role === 'user').flatMap((i) => (i.content ?? []).map((c) => c.text ?? ''));
  };

  it('gives the model the global AGENTS.md, then the project chain, and lists them all', async () => {
    const { model, temp, server } = await fixture.boot();
    const root = fs.realpathSync(temp.workspace);
    const cwd = path.join(root, 'mid', 'sub');
    write(path.join(temp.home, 'AGENTS.md'), '  global rules \n');
    fs.mkdirSync(path.join(root, '.git'));
    write(path.join(root, 'AGENTS.md'), 'root rules');
    write(path.join(root, 'mid', 'AGENTS.md'), 'mid rules');
    write(path.join(cwd, 'AGENTS.override.md'), 'sub override');
    write(path.join(cwd, 'AGENTS.md'), 'sub plain');
    const expected = [path.join(temp.home, 'AGENTS.md'), path.join(root, 'AGENTS.md'), path.join(root, 'mid', 'AGENTS.md'), path.join(cwd, 'AGENTS.override.md')];

    const started = await server.client.request('thread/start', { cwd });
    assert.deepEqual(started.result.instructionSources, expected);
    const threadId = started.result.thread.id;
    model.enqueue(textReply('ok'));
    await runTurn(server.client, threadId, 'go');
    const docs = userTexts().find((t) => t.startsWith('# AGENTS.md'));
    assert.equal(docs, `# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>\nglobal rules\n\n--- project-doc ---\n\nroot rules\n\nmid rules\n\nsub override\n</INSTRUCTIONS>`);

    const resumed = await server.client.request('thread/resume', { threadId });
    assert.deepEqual(resumed.result.instructionSources, expected);
    const forked = await server.client.request('thread/fork', { threadId });
    assert.deepEqual(forked.result.instructionSources, expected);
  });

  it('takes AGENTS.override.md over AGENTS.md in the home, and names no cwd without project docs', async () => {
    const { model, temp, server } = await fixture.boot();
    write(path.join(temp.home, 'AGENTS.md'), 'global rules');
    write(path.join(temp.home, 'AGENTS.override.md'), 'global override');
    const started = await server.client.request('thread/start', { cwd: temp.workspace });
    assert.deepEqual(started.result.instructionSources, [path.join(temp.home, 'AGENTS.override.md')]);
    model.enqueue(textReply('ok'));
    await runTurn(server.client, started.result.thread.id, 'go');
    assert.ok(userTexts().includes('# AGENTS.md instructions\n\n<INSTRUCTIONS>\nglobal override\n</INSTRUCTIONS>'), userTexts().join('\n---\n'));
  });

  it('lists nothing when there is no AGENTS.md', async () => {
    const { temp, server } = await fixture.boot();
    const started = await server.client.request('thread/start', { cwd: temp.workspace });
    assert.deepEqual(started.result.instructionSources, []);
  });

  describe("a project's .codex/config.toml", () => {
    let root: string;
    /** A git repository with a project config at its root and in `sub`; `trust` names the folder trusted or not. */
    const boot = async (trust?: { folder: string; level: string }) => {
      await fixture.start();
      root = fs.realpathSync(fixture.temp.workspace);
      execFileSync('git', ['init', '-q'], { cwd: root });
      write(path.join(root, '.codex', 'config.toml'), 'model = "project-model"\n');
      write(path.join(root, 'sub', '.codex', 'config.toml'), 'model = "sub-model"\n');
      if (trust) fs.appendFileSync(path.join(fixture.temp.home, 'config.toml'), `\n[projects."${path.join(root, trust.folder)}"]\ntrust_level = "${trust.level}"\n`);
      await fixture.spawn();
    };

    it('applies in a trusted repository, root first, and a trusted folder writes in its workspace', async () => {
      await boot({ folder: '', level: 'trusted' });
      const started = await fixture.server.client.request('thread/start', { cwd: path.join(root, 'sub') });
      assert.equal(started.result.model, 'sub-model', 'the layer nearer the cwd wins');
      assert.equal(started.result.sandbox.type, 'workspaceWrite');
      assert.equal(started.result.approvalPolicy, 'on-request');
      const atRoot = await fixture.server.client.request('thread/start', { cwd: root });
      assert.equal(atRoot.result.model, 'project-model');
      fixture.model.enqueue(textReply('ok'));
      await runTurn(fixture.server.client, started.result.thread.id, 'go');
      assert.equal(fixture.model.lastTurnRequest().body.model, 'sub-model');
    });

    it('shows in config/read for that cwd: the project layers, nearest first, and the model they set', async () => {
      await boot({ folder: '', level: 'trusted' });
      const read = await fixture.server.client.request('config/read', { cwd: path.join(root, 'sub'), includeLayers: true });
      assert.equal(read.result.config.model, 'sub-model');
      const projects = read.result.layers.filter((l: { name: { type: string } }) => l.name.type === 'project').map((l: { name: { dotCodexFolder: string } }) => l.name.dotCodexFolder);
      assert.deepEqual(projects, [path.join(root, 'sub', '.codex'), path.join(root, '.codex')]);
      const plain = await fixture.server.client.request('config/read', { includeLayers: true });
      assert.equal(plain.result.config.model, 'test-model', 'without a cwd, no project layer');
    });

    it('is ignored when the folder is not trusted', async () => {
      await boot();
      const started = await fixture.server.client.request('thread/start', { cwd: root });
      assert.equal(started.result.model, 'test-model');
      // Tandem's own default (codex's is read-only here): only the trust of the folder changes defaults.
      assert.equal(started.result.sandbox.type, 'workspaceWrite');
      assert.equal(started.result.approvalPolicy, 'on-request');
    });

    it('is ignored when the folder is marked untrusted, which asks before every command', async () => {
      await boot({ folder: '', level: 'untrusted' });
      const started = await fixture.server.client.request('thread/start', { cwd: root });
      assert.equal(started.result.model, 'test-model');
      assert.equal(started.result.approvalPolicy, 'untrusted');
      assert.equal(started.result.sandbox.type, 'workspaceWrite');
    });

    it('does not let a trusted sub-folder vouch for the repository root above it', async () => {
      await boot({ folder: 'sub', level: 'trusted' });
      fs.rmSync(path.join(root, 'sub', '.codex'), { recursive: true });
      const started = await fixture.server.client.request('thread/start', { cwd: path.join(root, 'sub') });
      assert.equal(started.result.model, 'test-model');
      assert.equal(started.result.sandbox.type, 'workspaceWrite', 'the cwd itself is trusted');
    });
  });
});
