// skills/list over a spawned server, and the skills block the model gets at the start of a thread.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

function writeSkill(dir: string, name: string, description: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'SKILL.md'), `---\nname: ${name}\ndescription: ${description}\n---\n# ${name}\n`);
  return path.join(fs.realpathSync(dir), 'SKILL.md');
}

function developerTexts(body: { input: Array<{ role?: string; content?: Array<{ text?: string }> }> }): string[] {
  return body.input.filter((i) => i.role === 'developer').flatMap((i) => (i.content ?? []).map((c) => c.text ?? ''));
}

describe('integration: skills', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  let userHome: string;
  beforeEach(async () => {
    await fixture.start();
    // The user's ~/.agents/skills is a skills folder too: each test gets an empty one of its own.
    userHome = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-user-home-'));
  });
  afterEach(() => fixture.close());

  const spawn = () => fixture.spawn({ env: { HOME: userHome } });

  it("lists the home's, the user's and the repository's skills per folder, and nothing where there are none", async () => {
    const { temp } = fixture;
    fs.mkdirSync(path.join(temp.workspace, '.git'));
    const repoSkill = writeSkill(path.join(temp.workspace, '.codex', 'skills', 'deploy'), 'deploy', 'Ship the\n  service.');
    const agentsSkill = writeSkill(path.join(temp.workspace, '.agents', 'skills', 'review'), 'review', 'Review a change.');
    const homeSkill = writeSkill(path.join(temp.home, 'skills', 'notes'), 'notes', 'Keep notes.');
    const userSkill = writeSkill(path.join(userHome, '.agents', 'skills', 'mine'), 'mine', 'Personal.');
    fs.mkdirSync(path.join(temp.home, 'skills', 'broken'));
    fs.writeFileSync(path.join(temp.home, 'skills', 'broken', 'SKILL.md'), 'no front matter');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-no-skills-'));
    const server = await spawn();
    const listed = await server.client.request('skills/list', { cwds: [temp.workspace, empty] });
    const [inRepo, elsewhere] = listed.result.data;
    assert.equal(inRepo.cwd, temp.workspace);
    assert.deepEqual(
      inRepo.skills.map((s: { name: string; description: string; scope: string; path: string }) => [s.name, s.description, s.scope, s.path]),
      [
        ['deploy', 'Ship the service.', 'repo', repoSkill],
        ['review', 'Review a change.', 'repo', agentsSkill],
        ['mine', 'Personal.', 'user', userSkill],
        ['notes', 'Keep notes.', 'user', homeSkill],
      ],
    );
    assert.ok(inRepo.skills.every((s: { enabled: boolean; pluginId: unknown }) => s.enabled && s.pluginId === null));
    assert.deepEqual(inRepo.errors, [{ path: path.join(fs.realpathSync(temp.home), 'skills', 'broken', 'SKILL.md'), message: 'missing YAML frontmatter delimited by ---' }]);
    assert.deepEqual(elsewhere.skills.map((s: { name: string }) => s.name), ['mine', 'notes']);

    fs.rmSync(path.join(temp.home, 'skills'), { recursive: true });
    fs.rmSync(path.join(userHome, '.agents'), { recursive: true });
    const none = await server.client.request('skills/list', { cwds: [empty], forceReload: true });
    assert.deepEqual(none.result, { data: [{ cwd: empty, skills: [], errors: [] }] });
    const byDefault = await server.client.request('skills/list', {});
    assert.equal(byDefault.result.data.length, 1, 'no folder means the server’s own');
  });

  it('shows the model the skills of the thread’s folder before the permissions, and no block without skills', async () => {
    const { temp, model } = fixture;
    writeSkill(path.join(temp.workspace, '.agents', 'skills', 'deploy'), 'deploy', 'Ship the service.');
    writeSkill(path.join(temp.home, 'skills', 'notes'), 'notes', 'Keep notes.');
    const explicitOnly = path.join(temp.home, 'skills', 'secret');
    writeSkill(explicitOnly, 'secret', 'Only when named.');
    fs.mkdirSync(path.join(explicitOnly, 'agents'));
    fs.writeFileSync(path.join(explicitOnly, 'agents', 'openai.yaml'), 'policy:\n  allow_implicit_invocation: false\n');
    const server = await spawn();
    model.enqueue(textReply('ok'), textReply('ok'));
    await runTurn(server.client, await startThread(server.client, { cwd: temp.workspace }), 'hi');
    const [skills, permissions] = developerTexts(model.requests[0]!.body);
    const home = fs.realpathSync(temp.home);
    const workspace = fs.realpathSync(temp.workspace);
    assert.match(permissions!, /^<permissions instructions>/);
    assert.ok(skills!.startsWith('<skills_instructions>\n## Skills\n'), skills);
    assert.ok(skills!.endsWith('</skills_instructions>'));
    assert.ok(
      skills!.includes(
        [
          '### Skill roots',
          `- \`r0\` = \`${path.join(home, 'skills')}\``,
          `- \`r1\` = \`${path.join(workspace, '.agents', 'skills')}\``,
          '### Available skills',
          '- deploy: Ship the service. (file: r1/deploy/SKILL.md)',
          '- notes: Keep notes. (file: r0/notes/SKILL.md)',
          '### How to use skills',
        ].join('\n'),
      ),
      skills,
    );
    assert.ok(!skills!.includes('secret'), 'a skill that asks not to be picked implicitly is not listed');

    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-no-skills-'));
    fs.rmSync(path.join(temp.home, 'skills'), { recursive: true });
    await runTurn(server.client, await startThread(server.client, { cwd: bare }), 'hi');
    const texts = developerTexts(model.requests[1]!.body);
    assert.match(texts[0]!, /^<permissions instructions>/);
    assert.ok(!texts.some((t) => t.includes('<skills_instructions>')));
  });
});
