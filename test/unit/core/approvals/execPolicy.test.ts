import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecPolicy, parseRules, renderRule } from '../../../../src/core/approvals/execPolicy';

describe('core/approvals: command rules (rules/*.rules)', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-rules-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    fs.mkdirSync(path.join(home, 'rules'), { recursive: true });
    fs.writeFileSync(path.join(home, 'rules', name), text);
  };

  it('reads prefix rules as codex writes them, with alternatives, single quotes and calls over several lines', () => {
    const { rules, problems } = parseRules(
      [
        '# my rules',
        'prefix_rule(pattern=["git", "pull"], decision="allow")',
        "prefix_rule(pattern=['npm', ['test', 'run']], decision='prompt')",
        'prefix_rule(',
        '    pattern = ["rm", "-rf"],',
        '    decision = "forbidden",',
        ')',
        '',
      ].join('\n'),
      'default.rules',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(rules, [
      { pattern: ['git', 'pull'], decision: 'allow', origin: 'default.rules:2' },
      { pattern: ['npm', ['test', 'run']], decision: 'prompt', origin: 'default.rules:3' },
      { pattern: ['rm', '-rf'], decision: 'forbidden', origin: 'default.rules:4' },
    ]);
  });

  it('reports what it cannot read, line by line, and keeps the rest', () => {
    const { rules, problems } = parseRules('host_executable(name="git")\nprefix_rule(pattern=[], decision="allow")\nprefix_rule(pattern=["ls"], decision="maybe")\nprefix_rule(pattern=["ls"])\n', 'x.rules');
    assert.equal(rules.length, 1);
    assert.deepEqual(rules[0], { pattern: ['ls'], decision: 'allow', origin: 'x.rules:4' });
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /^x\.rules:1: only prefix_rule/);
    assert.match(problems[1]!, /^x\.rules:2: pattern must be a non-empty list/);
    assert.match(problems[2]!, /^x\.rules:3: decision must be allow, prompt or forbidden/);
  });

  it('judges a whole command: strictest rule wins, allowed only when every part is', () => {
    write('default.rules', ['prefix_rule(pattern=["git", "pull"], decision="allow")', 'prefix_rule(pattern=["make"], decision="allow")', 'prefix_rule(pattern=["git", "push"], decision="forbidden")', 'prefix_rule(pattern=["npm", ["publish", "unpublish"]], decision="prompt")'].join('\n'));
    const policy = ExecPolicy.load(home);
    assert.deepEqual(policy.evaluate([['git', 'pull', '--rebase']]), { decision: 'allow' });
    assert.deepEqual(policy.evaluate([['git', 'pull'], ['make', 'all']]), { decision: 'allow' });
    assert.equal(policy.evaluate([['git', 'pull'], ['rm', 'x']]), null, 'one part no rule allows: the approval policy decides');
    assert.equal(policy.evaluate([['git'], ['make']]), null, 'a command shorter than the pattern does not match');
    assert.equal(policy.evaluate([['git', 'pull'], ['git', 'push']])?.decision, 'forbidden');
    assert.equal(policy.evaluate([['npm', 'unpublish']])?.decision, 'prompt');
    assert.equal(policy.evaluate(undefined), null);
    assert.equal(ExecPolicy.load(path.join(home, 'missing')).evaluate([['git', 'pull']]), null);
  });

  it('saves an accepted prefix to default.rules, where the next start reads it', async () => {
    write('default.rules', 'prefix_rule(pattern=["ls"], decision="allow")\n');
    const policy = ExecPolicy.load(home);
    await policy.allowPrefix(['touch', 'a b.txt']);
    assert.deepEqual(policy.evaluate([['touch', 'a b.txt']]), { decision: 'allow' });
    assert.equal(fs.readFileSync(path.join(home, 'rules', 'default.rules'), 'utf8'), `prefix_rule(pattern=["ls"], decision="allow")\n${renderRule(['touch', 'a b.txt'], 'allow')}\n`);
    assert.equal(renderRule(['touch', 'a b.txt'], 'allow'), 'prefix_rule(pattern=["touch", "a b.txt"], decision="allow")');
    assert.deepEqual(ExecPolicy.load(home).evaluate([['touch', 'a b.txt']]), { decision: 'allow' });
  });
});
