import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { walkFiles } from '../../../../src/core/search/fileWalker';
import { IgnoreRules } from '../../../../src/core/search/ignoreRules';
import { globalRules } from '../../../../src/core/search/ignoreScopes';

function tree(files: Record<string, string>, root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-walk-'))): string {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    if (rel.endsWith('/')) fs.mkdirSync(path.join(root, rel), { recursive: true });
    else fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** What the walker stands in for, run with the same home so it finds the same global excludes file. */
function ripgrep(root: string, env: NodeJS.ProcessEnv): string[] {
  const out = execFileSync('rg', ['--files', '--hidden', '--glob', '!.git', '--no-require-git', '--no-messages'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  return out.split('\n').filter(Boolean).sort();
}

async function walked(root: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  return (await walkFiles(root, { maxFiles: 1_000_000, globalIgnore: globalRules(env) ?? null })).sort();
}

/** A home with no git configuration, so neither side reads the developer's own global excludes. */
function emptyHome(): NodeJS.ProcessEnv {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-walk-home-'));
  return { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
}

describe('core/search/fileWalker', () => {
  it('lists what ripgrep lists: nested, anchored, negated, directory-only, ** and class patterns', async () => {
    const root = tree({
      '.gitignore': ['# comment', '*.log', '!keep.log', '/top.txt', 'build/', 'docs/**/draft*', 'gen/**', 'a?c.md', '[xy]z.ts', 'sp\\ ace.txt', 'trail.txt   ', '\\#hash.txt', '\\!bang.txt', 'deep/inner/x.ts', '**/cache'].join('\n'),
      'keep.log': '',
      'drop.log': '',
      'top.txt': '',
      'sub/top.txt': '',
      'build/out.js': '',
      'src/build/nested.js': '',
      'src/build.ts': '',
      'docs/draft1.md': '',
      'docs/a/b/draft2.md': '',
      'docs/a/final.md': '',
      'gen/x.ts': '',
      'gen/y/z.ts': '',
      'abc.md': '',
      'abbc.md': '',
      'xz.ts': '',
      'zz.ts': '',
      'sp ace.txt': '',
      'trail.txt': '',
      '#hash.txt': '',
      '!bang.txt': '',
      'deep/inner/x.ts': '',
      'deep/inner/y.ts': '',
      'other/deep/inner/x.ts': '',
      'one/two/cache/c.bin': '',
      'cache': '',
      'pkg/.gitignore': '*.tmp\n!important.tmp\n/local.txt\n',
      'pkg/a.tmp': '',
      'pkg/important.tmp': '',
      'pkg/nested/b.tmp': '',
      'pkg/local.txt': '',
      'pkg/nested/local.txt': '',
      'pkg/drop.log': '',
      'pkg/sub/.gitignore': '!*.log\n',
      'pkg/sub/back.log': '',
      '.hidden/file.txt': '',
      '.env': '',
    });
    const env = emptyHome();
    const expected = ripgrep(root, env);
    assert.ok(expected.includes('keep.log') && !expected.includes('drop.log'), 'the tree exercises the rules');
    assert.deepEqual(await walked(root, env), expected);
  });

  it('weighs .rgignore over .ignore over .gitignore, and stops git rules at a nested repository', async () => {
    const root = tree({
      '.gitignore': '*.gen\nvendor/\n',
      '.ignore': '!wanted.gen\n*.bak\n',
      '.rgignore': '!special.bak\n',
      'a.gen': '',
      'wanted.gen': '',
      'x.bak': '',
      'special.bak': '',
      'vendor/lib.js': '',
      'repo/.git/info/exclude': 'excluded.txt\n',
      'repo/.git/HEAD': '',
      'repo/excluded.txt': '',
      'repo/b.gen': '',
      'repo/y.bak': '',
      'repo/sub/excluded.txt': '',
      'plain/excluded.txt': '',
      'worktree/.git': 'gitdir: elsewhere\n',
      'worktree/c.gen': '',
    });
    const env = emptyHome();
    const expected = ripgrep(root, env);
    assert.ok(expected.includes('repo/b.gen') && !expected.includes('repo/excluded.txt'), 'the tree exercises the rules');
    assert.deepEqual(await walked(root, env), expected);
  });

  it('honours ignore files above the root up to the repository that holds it, and the global excludes file', async () => {
    const outer = tree({ '.gitignore': 'skip.txt\n', '.ignore': 'also.txt\n', 'inner/skip.txt': '', 'inner/also.txt': '', 'inner/keep.txt': '', 'inner/g.swp': '' });
    const env = emptyHome();
    fs.mkdirSync(path.join(env.HOME!, '.config', 'git'), { recursive: true });
    fs.writeFileSync(path.join(env.HOME!, '.config', 'git', 'ignore'), '*.swp\n');
    const inner = path.join(outer, 'inner');
    assert.deepEqual(await walked(inner, env), ripgrep(inner, env));
    assert.deepEqual(await walked(inner, env), ['keep.txt']);
    // A repository at the root: the .gitignore above no longer counts, the .ignore still does.
    fs.mkdirSync(path.join(inner, '.git'));
    assert.deepEqual(await walked(inner, env), ripgrep(inner, env));
    assert.deepEqual(await walked(inner, env), ['keep.txt', 'skip.txt']);
    // core.excludesFile, with ~ for the home.
    fs.writeFileSync(path.join(env.HOME!, '.gitconfig'), '[core]\n\texcludesFile = ~/my-excludes\n');
    fs.writeFileSync(path.join(env.HOME!, 'my-excludes'), 'keep.txt\n');
    assert.deepEqual(await walked(inner, env), ripgrep(inner, env));
    assert.deepEqual(await walked(inner, env), ['g.swp', 'skip.txt']);
  });

  it('skips symbolic links and .git, lists hidden files, and yields nothing for a missing root', async () => {
    const root = tree({ 'real/a.ts': '', 'b.ts': '', '.config/c.json': '', '.git/HEAD': '', 'sub/.git': 'gitdir: x\n' });
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'linked'));
    fs.symlinkSync(path.join(root, 'b.ts'), path.join(root, 'link.ts'));
    const env = emptyHome();
    assert.deepEqual(await walked(root, env), ripgrep(root, env));
    assert.deepEqual(await walked(root, env), ['.config/c.json', 'b.ts', 'real/a.ts']);
    assert.deepEqual(await walkFiles(path.join(root, 'missing'), { maxFiles: 10, globalIgnore: null }), []);
  });

  it('hands the files over a directory at a time, in the order of the list, and stops at maxFiles', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`d${i % 7}/e${i % 3}/f${i}.ts`] = '';
    const root = tree(files);
    const batches: string[][] = [];
    const all = await walkFiles(root, { maxFiles: 1_000, onBatch: (batch) => batches.push([...batch]), globalIgnore: null });
    assert.equal(all.length, 300);
    assert.ok(batches.length >= 21, `${batches.length} batches`);
    assert.deepEqual(batches.flat(), all);
    const cut: string[][] = [];
    const some = await walkFiles(root, { maxFiles: 100, onBatch: (batch) => cut.push([...batch]), globalIgnore: null });
    assert.equal(some.length, 100);
    assert.deepEqual(cut.flat(), some);
  });

  it('matches ignore patterns as git does', () => {
    const rules = new IgnoreRules('*.o\n!keep.o\nlogs/\n/root.txt\na/**/z\nx/**\n[!a]b.c\n[z-a].bad\n');
    assert.equal(rules.match('dir/m.o', 'm.o', false), 'ignore');
    assert.equal(rules.match('dir/keep.o', 'keep.o', false), 'include');
    assert.equal(rules.match('logs', 'logs', true), 'ignore');
    assert.equal(rules.match('logs', 'logs', false), undefined, 'a directory pattern leaves a file alone');
    assert.equal(rules.match('root.txt', 'root.txt', false), 'ignore');
    assert.equal(rules.match('sub/root.txt', 'root.txt', false), undefined);
    assert.equal(rules.match('a/z', 'z', false), 'ignore');
    assert.equal(rules.match('a/b/c/z', 'z', false), 'ignore');
    assert.equal(rules.match('x', 'x', true), undefined, '`x/**` is what is inside x');
    assert.equal(rules.match('x/y', 'y', false), 'ignore');
    assert.equal(rules.match('bb.c', 'bb.c', false), 'ignore');
    assert.equal(rules.match('ab.c', 'ab.c', false), undefined);
    assert.equal(rules.match('q.bad', 'q.bad', false), undefined, 'an invalid range is skipped');
  });
});
