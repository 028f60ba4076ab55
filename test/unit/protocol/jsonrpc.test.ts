import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { classifyMessage, classifyWithSchemas, describeZodError, isValidHeaderValue, RpcError, ErrorCode } from '../../../src/protocol';

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

  it('classifies every envelope exactly as the schemas do (the hand check of well-formed messages included)', () => {
    // Members and values combined: each message once through classifyMessage and once through the schemas alone.
    const ids: unknown[] = [1, 0, -0, -7, 'a', '', 1.5, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, null, true, {}, [], NaN, undefined];
    const errors: unknown[] = [{ code: -1, message: 'no' }, { code: 1, message: 'm', data: null }, { code: 1, message: 'm', data: undefined, extra: 1 }, { code: 1.5, message: 'm' }, { code: 2 ** 60, message: 'm' }, { message: 'm' }, { code: 1 }, [], null, 'x'];
    const traces: unknown[] = [null, undefined, { traceparent: 'p' }, { traceparent: 5 }, 'x'];
    const messages: unknown[] = [null, 'text', 5, [], {}, [{ id: 1, method: 'x' }]];
    for (const id of ids) {
      for (const method of ['thread/list', '', 5, null, undefined]) {
        messages.push({ id, method }, { id, method, params: { a: 1 } }, { id, method, params: undefined }, { id, method, extra: true }, { method, params: [1] }, { method });
        for (const trace of traces) messages.push({ id, method, trace });
      }
      messages.push({ id, result: { ok: 1 } }, { id, result: undefined }, { id, result: 1, error: { code: 1, message: 'm' } }, { id }, { id, other: 1 });
      for (const error of errors) messages.push({ id, error });
    }
    for (const message of messages) assert.deepEqual(classifyMessage(message), classifyWithSchemas(message), JSON.stringify(message));
    const request = classifyMessage({ id: 4, method: 'm', params: undefined, extra: 1 });
    assert.ok(request.kind === 'request' && 'params' in request.message && !('extra' in request.message), 'present members kept, unknown ones dropped');
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
