import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverProjectDocs } from '../../../../src/core/thread/agentsMd';
import { ConversationHistory } from '../../../../src/core/thread/history';
import { ToolGate } from '../../../../src/core/thread/toolGate';
import { MAX_LOCAL_IMAGE_BYTES, validateUserInput } from '../../../../src/core/thread/userInput';
import { isUuid, uuidv7 } from '../../../../src/core/ids';

describe('core/thread', () => {
  it('answers unanswered calls with "aborted" and drops orphan outputs', () => {
    const history = new ConversationHistory([
      { type: 'function_call', name: 'a', arguments: '{}', call_id: 'c1' },
      { type: 'function_call_output', call_id: 'orphan', output: 'x' },
      { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch', call_id: 'c2' },
      { type: 'custom_tool_call_output', call_id: 'c2', output: 'done' },
    ]);
    assert.deepEqual(history.forPrompt(), [
      { type: 'function_call', name: 'a', arguments: '{}', call_id: 'c1' },
      { type: 'function_call_output', call_id: 'c1', output: 'aborted' },
      { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch', call_id: 'c2' },
      { type: 'custom_tool_call_output', call_id: 'c2', output: 'done' },
    ]);
  });

  it('discovers AGENTS.md from the repository root down to cwd, override first, within the budget', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-agents-'));
    fs.mkdirSync(path.join(root, '.git'));
    fs.mkdirSync(path.join(root, 'pkg', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'AGENTS.md'), 'root rules');
    fs.writeFileSync(path.join(root, 'pkg', 'AGENTS.md'), 'ignored because of the override');
    fs.writeFileSync(path.join(root, 'pkg', 'AGENTS.override.md'), 'pkg rules');
    fs.writeFileSync(path.join(root, 'pkg', 'sub', 'AGENTS.md'), '   ');
    const docs = await discoverProjectDocs(path.join(root, 'pkg', 'sub'));
    assert.equal(docs.text, 'root rules\n\npkg rules');
    assert.deepEqual(docs.sources, [path.join(root, 'AGENTS.md'), path.join(root, 'pkg', 'AGENTS.override.md')]);
    const capped = await discoverProjectDocs(path.join(root, 'pkg'), 6);
    assert.equal(capped.text, 'root r');
    assert.equal(capped.truncated, true);
    assert.equal((await discoverProjectDocs(root, 0)).text, '');
  });

  it('runs parallel tools together and exclusive tools alone, in arrival order', async () => {
    const gate = new ToolGate();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
    };
    await Promise.all([gate.run(true, task('a', 20)), gate.run(true, task('b', 5)), gate.run(false, task('patch', 5)), gate.run(true, task('c', 1))]);
    assert.deepEqual(log.slice(0, 2), ['start a', 'start b']);
    assert.ok(log.indexOf('start patch') > log.indexOf('end a'));
    assert.ok(log.indexOf('start c') > log.indexOf('end patch'));
  });

  it('refuses empty, oversized and remote-image input', () => {
    assert.throws(() => validateUserInput([]), /must not be empty/);
    assert.throws(() => validateUserInput([{ type: 'text', text: 'x'.repeat((1 << 20) + 1) }]), (e: { code: number; data: { actual_chars: number } }) => e.code === -32602 && e.data.actual_chars === (1 << 20) + 1);
    assert.throws(() => validateUserInput([{ type: 'image', url: 'http://x/y.png' }]), /data: URL/);
    validateUserInput([{ type: 'text', text: 'fine' }, { type: 'image', url: 'data:image/png;base64,AAAA' }]);
    // An image past the size limit is refused with its size; one at the limit goes.
    const base64 = (bytes: number) => `data:image/png;base64,${Buffer.alloc(bytes).toString('base64')}`;
    validateUserInput([{ type: 'image', url: base64(MAX_LOCAL_IMAGE_BYTES) }]);
    assert.throws(() => validateUserInput([{ type: 'image', url: base64(MAX_LOCAL_IMAGE_BYTES + 1) }]), { code: -32600, message: 'an image can be at most 20 MiB; this one is 20.0 MiB' });
    assert.throws(() => validateUserInput([{ type: 'image', url: base64(25 * 1024 * 1024) }]), { message: 'an image can be at most 20 MiB; this one is 25.0 MiB' });
    // Two images at the limit fit a message; a third passes the 40 MiB the images of one message may take.
    validateUserInput([{ type: 'image', url: base64(MAX_LOCAL_IMAGE_BYTES) }, { type: 'image', url: base64(MAX_LOCAL_IMAGE_BYTES) }]);
    assert.throws(() => validateUserInput([1, 2, 3].map(() => ({ type: 'image' as const, url: base64(MAX_LOCAL_IMAGE_BYTES) }))), {
      code: -32600,
      message: 'the images of one message can take at most 40 MiB together; send them over several messages',
    });
    // Only image types the model reads, base64-encoded.
    for (const url of ['data:text/plain;base64,aGk=', 'data:image/svg+xml;base64,PHN2Zz4=', 'data:image/png,raw', 'data:,nothing']) {
      assert.throws(() => validateUserInput([{ type: 'image', url }]), /base64 data: URL of a PNG, JPEG, GIF or WebP image/, url);
    }
    validateUserInput([{ type: 'image', url: 'data:image/jpeg;base64,AAAA' }, { type: 'image', url: 'data:image/webp;base64,AAAA' }]);
  });

  it('makes UUID v7 ids that sort by time', () => {
    const a = uuidv7(1_000);
    const b = uuidv7(2_000);
    assert.ok(isUuid(a) && isUuid(b));
    assert.equal(a[14], '7');
    assert.ok(a < b);
  });
});
