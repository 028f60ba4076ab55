import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { classifyMessage, describeZodError, isValidHeaderValue, RpcError, ErrorCode } from '../../../src/protocol';

describe('protocol/jsonrpc', () => {
  it('classifies the four envelope shapes, without a jsonrpc member', () => {
    assert.equal(classifyMessage({ id: 1, method: 'thread/list', params: {} }).kind, 'request');
    assert.equal(classifyMessage({ id: 'a', method: 'x' }).kind, 'request');
    assert.equal(classifyMessage({ method: 'initialized' }).kind, 'notification');
    assert.equal(classifyMessage({ id: 3, result: {} }).kind, 'response');
    assert.equal(classifyMessage({ id: 3, error: { code: -1, message: 'no' } }).kind, 'error');
  });

  it('rejects ids that are neither strings nor integers, and shapeless values', () => {
    assert.equal(classifyMessage({ id: 1.5, method: 'x' }).kind, 'invalid');
    assert.equal(classifyMessage({ id: null, method: 'x' }).kind, 'invalid');
    assert.equal(classifyMessage([1, 2]).kind, 'invalid');
    assert.equal(classifyMessage('text').kind, 'invalid');
    assert.equal(classifyMessage({ id: 9 }).kind, 'invalid');
    assert.equal(classifyMessage({ id: 2, error: { message: 'no code' } }).kind, 'invalid');
  });

  it('describes the first zod issue as "<path>: <reason>"', () => {
    const schema = z.object({ clientInfo: z.object({ name: z.string() }) });
    const result = schema.safeParse({ clientInfo: { name: 5 } });
    assert.ok(!result.success);
    assert.match(describeZodError(result.error), /^clientInfo\.name: /);
  });

  it('accepts only valid HTTP header values as client names', () => {
    assert.ok(isValidHeaderValue('tandem_vscode'));
    assert.ok(isValidHeaderValue('Codex VS Code'));
    assert.ok(!isValidHeaderValue('bad\nname'));
    assert.ok(!isValidHeaderValue('caf\u00e9'));
    assert.ok(!isValidHeaderValue(''));
    assert.ok(!isValidHeaderValue(' padded '));
  });

  it('turns an RpcError into an error object, with data only when present', () => {
    assert.deepEqual(new RpcError(ErrorCode.InvalidRequest, 'nope').toObject(), { code: -32600, message: 'nope' });
    assert.deepEqual(new RpcError(-32602, 'big', { n: 1 }).toObject(), { code: -32602, message: 'big', data: { n: 1 } });
  });
});
