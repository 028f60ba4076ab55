import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverSkills, listSkills, skillRoots } from '../../../../src/core/skills/discovery';
import { renderSkillsInstructions } from '../../../../src/core/skills/render';
import { extractFrontMatter } from '../../../../src/core/skills/skillFile';
import { parseYaml } from '../../../../src/core/skills/yamlSubset';
import { initialContextItems } from '../../../../src/core/thread/environmentContext';

function writeSkill(dir: string, text: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'SKILL.md'), text);
  return path.join(fs.realpathSync(dir), 'SKILL.md');
}

const skillText = (name: string, description: string) => `---\nname: ${name}\ndescription: ${description}\n---\n# Body\n`;

/** A home, a user home and a git repository with a package folder, all empty. */
function layout() {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-skills-')));
  const dirs = { home: path.join(root, 'home'), userHome: path.join(root, 'user'), repo: path.join(root, 'repo'), admin: path.join(root, 'admin') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir);
  fs.mkdirSync(path.join(dirs.repo, '.git'));
  const pkg = path.join(dirs.repo, 'pkg');
  fs.mkdirSync(pkg);
  return { ...dirs, pkg, locations: { home: dirs.home, userHome: dirs.userHome, adminDir: dirs.admin } };
}

describe('core/skills', () => {
  it('reads the YAML skill files use: plain, quoted and block scalars, nested mappings, lists, comments', () => {
    const yaml = [
      '# a comment',
      'name: "quoted: name" # trailing comment',
      "single: 'it''s'",
      'escaped: "tab\\there \\u00e9"',
      'plain: first line',
      '  goes on',
      'folded: >',
      '  one',
      '  two',
      '',
      '  para',
      'literal: |-',
      '  keep',
      '    indented',
      'empty:',
      'tilde: ~',
      'hash: a#b',
      'metadata:',
      '  short-description: short',
      '  deeper:',
      '    key: value',
      'list:',
      '  - a',
      '  - b: c',
      '    d: e',
      'flow: [not, parsed',
    ].join('\n');
    assert.deepEqual(parseYaml(yaml), {
      name: 'quoted: name',
      single: "it's",
      escaped: 'tab\there é',
      plain: 'first line goes on',
      folded: 'one two\npara\n',
      literal: 'keep\n  indented',
      empty: null,
      tilde: null,
      hash: 'a#b',
      metadata: { 'short-description': 'short', deeper: { key: 'value' } },
      list: ['a', { b: 'c', d: 'e' }],
      flow: '[not, parsed',
    });
    assert.throws(() => parseYaml('key: "unterminated'), /unterminated quoted value/);
    assert.throws(() => parseYaml('just text'), /expected a "key: value" pair/);
  });

  it('takes the front matter only from between a first line --- and the next', () => {
    assert.equal(extractFrontMatter('---\r\nname: x\r\n---\r\nbody'), 'name: x');
    assert.equal(extractFrontMatter('\n---\nname: x\n---\n'), undefined);
    assert.equal(extractFrontMatter('---\nname: x\n'), undefined);
    assert.equal(extractFrontMatter('---\n---\n'), undefined);
  });

  it('lists skills by scope then name, with codex error messages and the folder name for a missing name', async () => {
    const t = layout();
    const user = writeSkill(path.join(t.home, 'skills', 'zeta'), skillText('zeta', 'user  skill\n  on two lines'));
    const nested = writeSkill(path.join(t.home, 'skills', 'group', 'deep'), skillText('Alpha', 'nested'));
    writeSkill(path.join(t.home, 'skills', '.hidden'), skillText('hidden', 'skipped'));
    const bundled = writeSkill(path.join(t.home, 'skills', '.system', 'bundled'), skillText('bundled', 'from codex'));
    writeSkill(path.join(t.home, 'skills', '.system', 'broken'), 'no front matter');
    const agents = writeSkill(path.join(t.userHome, '.agents', 'skills', 'mine'), skillText('mine', 'personal'));
    const admin = writeSkill(path.join(t.admin, 'site'), skillText('site', 'machine-wide'));
    const unnamed = writeSkill(path.join(t.repo, '.codex', 'skills', 'unnamed'), '---\nname:\ndescription: no name\n---\n');
    const withMeta = writeSkill(path.join(t.repo, '.agents', 'skills', 'meta'), skillText('meta', 'has metadata\nmetadata:\n  short-description: short one'));
    const broken = [
      writeSkill(path.join(t.repo, '.codex', 'skills', 'nofm'), '# nothing'),
      writeSkill(path.join(t.repo, '.codex', 'skills', 'nodesc'), '---\nname: nodesc\n---\n'),
      writeSkill(path.join(t.repo, '.codex', 'skills', 'long'), skillText('n'.repeat(65), 'x')),
    ];
    const listed = await listSkills(t.pkg, t.locations);
    assert.deepEqual(
      listed.skills.map((s) => [s.name, s.scope, s.path]),
      [
        ['meta', 'repo', withMeta],
        ['unnamed', 'repo', unnamed],
        ['Alpha', 'user', nested],
        ['mine', 'user', agents],
        ['zeta', 'user', user],
        ['bundled', 'system', bundled],
        ['site', 'admin', admin],
      ],
    );
    assert.equal(listed.skills[4]!.description, 'user skill on two lines');
    assert.equal(listed.skills[0]!.shortDescription, 'short one');
    assert.deepEqual(listed.skills[0], { name: 'meta', description: 'has metadata', shortDescription: 'short one', path: withMeta, scope: 'repo', enabled: true, pluginId: null });
    assert.deepEqual(listed.errors, [
      { path: broken[2], message: 'invalid name: exceeds maximum length of 64 characters' },
      { path: broken[1], message: 'missing field `description`' },
      { path: broken[0], message: 'missing YAML frontmatter delimited by ---' },
    ]);
  });

  it("finds repository skills from cwd up to the repository root, and only in cwd outside one, in codex's root order", async () => {
    const t = layout();
    for (const dir of [t.repo, t.pkg]) {
      fs.mkdirSync(path.join(dir, '.codex', 'skills'), { recursive: true });
      fs.mkdirSync(path.join(dir, '.agents', 'skills'), { recursive: true });
    }
    fs.mkdirSync(path.join(t.home, 'skills', '.system'), { recursive: true });
    fs.mkdirSync(path.join(t.userHome, '.agents', 'skills'), { recursive: true });
    const roots = await skillRoots(t.pkg, t.locations);
    assert.deepEqual(
      roots.map((r) => [r.path, r.scope]),
      [
        [path.join(t.pkg, '.codex', 'skills'), 'repo'],
        [path.join(t.repo, '.codex', 'skills'), 'repo'],
        [path.join(t.home, 'skills'), 'user'],
        [path.join(t.userHome, '.agents', 'skills'), 'user'],
        [path.join(t.home, 'skills', '.system'), 'system'],
        [t.admin, 'admin'],
        [path.join(t.repo, '.agents', 'skills'), 'repo'],
        [path.join(t.pkg, '.agents', 'skills'), 'repo'],
      ],
    );
    fs.rmSync(path.join(t.repo, '.git'), { recursive: true });
    const outside = await skillRoots(t.pkg, t.locations);
    assert.deepEqual(
      outside.filter((r) => r.scope === 'repo').map((r) => r.path),
      [path.join(t.pkg, '.codex', 'skills'), path.join(t.pkg, '.agents', 'skills')],
    );
  });

  it("renders the model's skill list as codex does: aliased roots, bundled first, implicit skills only", async () => {
    const t = layout();
    writeSkill(path.join(t.home, 'skills', 'mine'), skillText('mine', 'a user skill'));
    writeSkill(path.join(t.repo, '.agents', 'skills', 'build'), skillText('build', 'd'.repeat(1100)));
    writeSkill(path.join(t.home, 'skills', '.system', 'bundled'), skillText('bundled', 'from codex'));
    const hidden = path.join(t.repo, '.agents', 'skills', 'explicit');
    writeSkill(hidden, skillText('explicit', 'only when named'));
    fs.mkdirSync(path.join(hidden, 'agents'));
    fs.writeFileSync(path.join(hidden, 'agents', 'openai.yaml'), 'interface:\n  display_name: "Explicit"\n  icon_small: "./assets/x.svg"\n  icon_large: "../x.png"\n  brand_color: "#ABCDEF"\npolicy:\n  allow_implicit_invocation: false\n');
    fs.mkdirSync(path.join(t.repo, '.codex', 'skills'), { recursive: true });
    const catalog = await discoverSkills(t.pkg, t.locations);
    assert.deepEqual(catalog.skills.find((s) => s.metadata.name === 'explicit')!.metadata.interface, {
      displayName: 'Explicit',
      shortDescription: null,
      iconSmall: path.join(hidden, 'assets', 'x.svg'),
      iconLarge: null,
      iconSmallUrl: null,
      iconLargeUrl: null,
      brandColor: '#ABCDEF',
      defaultPrompt: null,
    });
    const text = renderSkillsInstructions(catalog)!;
    const lines = text.split('\n');
    assert.equal(lines[0], '<skills_instructions>');
    assert.equal(lines.at(-1), '</skills_instructions>');
    const roots = lines.slice(lines.indexOf('### Skill roots') + 1, lines.indexOf('### Available skills'));
    assert.deepEqual(roots, [
      `- \`r0\` = \`${path.join(t.home, 'skills')}\``,
      `- \`r1\` = \`${path.join(t.home, 'skills', '.system')}\``,
      `- \`r2\` = \`${path.join(t.repo, '.agents', 'skills')}\``,
    ]);
    const skills = lines.slice(lines.indexOf('### Available skills') + 1, lines.indexOf('### How to use skills'));
    assert.deepEqual(skills, [
      '- bundled: from codex (file: r1/bundled/SKILL.md)',
      `- build: ${'d'.repeat(1021)}... (file: r2/build/SKILL.md)`,
      '- mine: a user skill (file: r0/mine/SKILL.md)',
    ]);
    assert.equal(renderSkillsInstructions({ roots: [], skills: [], errors: [] }), undefined);
  });

  it('puts the skills block first in the developer message, before the permissions', () => {
    const environment = { cwd: '/w', shell: 'bash', currentDate: '2026-01-01', timezone: 'UTC', workspaceRoots: ['/w'] };
    const base = { approvalPolicy: 'never' as const, sandbox: { type: 'readOnly' as const }, developerInstructions: 'Be brief.', projectDocs: '', environment };
    const [withSkills] = initialContextItems({ ...base, skillsInstructions: '<skills_instructions>x</skills_instructions>' });
    const texts = (withSkills as { content: Array<{ text: string }> }).content.map((c) => c.text);
    assert.equal(texts[0], '<skills_instructions>x</skills_instructions>');
    assert.match(texts[1]!, /^<permissions instructions>/);
    assert.equal(texts[2], 'Be brief.');
    const [without] = initialContextItems(base);
    assert.match((without as { content: Array<{ text: string }> }).content[0]!.text, /^<permissions instructions>/);
  });
});
