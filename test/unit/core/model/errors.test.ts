import { strict as assert } from 'node:assert';
import { backoffDelayMs, sleep } from '../../../../src/core/model/backoff';
import { httpError, parseRetryAfter, retryHintMs, streamFailure } from '../../../../src/core/model/errors';

describe('core/model/errors', () => {
  const where = 'The model provider "Fake"';

  it('maps HTTP statuses to clear, typed errors', () => {
    const unauthorized = httpError(401, '{"error":{"message":"bad key"}}', undefined, where);
    assert.equal(unauthorized.info, 'unauthorized');
    assert.equal(unauthorized.retryable, false);
    assert.match(unauthorized.message, /401 Unauthorized\): bad key\. Sign in again/);
    assert.equal(httpError(500, '', undefined, where).retryable, true);
    assert.deepEqual(httpError(502, '', undefined, where).info, { httpConnectionFailed: { httpStatusCode: 502 } });
    assert.equal(httpError(400, '{"error":{"message":"nope"}}', undefined, where).info, 'badRequest');
    assert.equal(httpError(404, '', undefined, where).info, 'modelNotFound');
  });

  it('maps error codes whatever the status', () => {
    const context = httpError(400, '{"error":{"code":"context_length_exceeded","message":"too long"}}', undefined, where);
    assert.equal(context.info, 'contextWindowExceeded');
    assert.match(context.message, /context window/);
    assert.equal(httpError(429, '{"error":{"type":"usage_limit_reached","plan_type":"plus","resets_at":1800000000}}', undefined, where).info, 'usageLimitExceeded');
    assert.equal(httpError(429, '{"error":{"code":"insufficient_quota"}}', undefined, where).info, 'usageLimitExceeded');
    const limited = httpError(429, '', 2000, where);
    assert.equal(limited.info, 'rateLimitExceeded');
    assert.equal(limited.retryable, true, 'a 429 with Retry-After is worth retrying');
    assert.equal(httpError(429, '', undefined, where).retryable, false);
    const hinted = httpError(429, '{"error":{"code":"rate_limit_exceeded","message":"Please try again in 1m30s."}}', undefined, where);
    assert.equal(hinted.options.retryAfterMs, 90_000, 'the body says how long when the header does not');
    assert.equal(httpError(429, '{"error":{"code":"rate_limit_exceeded","message":"Please try again in 1m30s."}}', 2000, where).options.retryAfterMs, 2000, 'Retry-After first');
    assert.equal(httpError(429, '{"error":{"message":"Please try again in 2s."}}', undefined, where).retryable, false, 'a hint counts only with rate_limit_exceeded');
    assert.equal(hinted.phase, 'stream', 'reported as a reconnect, not retried silently');
  });

  it('maps stream failures and reads retry hints', () => {
    assert.equal(streamFailure({ code: 'server_is_overloaded' }).info, 'serverOverloaded');
    const rate = streamFailure({ code: 'rate_limit_exceeded', message: 'Please try again in 1.5s.' });
    assert.equal(rate.retryable, true);
    assert.equal(rate.options.retryAfterMs, 1500);
    assert.equal(streamFailure({ message: 'weird' }).retryable, true);
    assert.equal(retryHintMs('try again in 250ms'), 250);
    assert.equal(retryHintMs('no hint'), undefined);
    assert.equal(retryHintMs('Please try again in 1m30s.'), 90_000);
    assert.equal(retryHintMs('try again in 2 seconds'), 2000);
  });

  it('parses Retry-After as seconds or a date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it('backs off 200 ms × 2ⁿ with jitter, or follows the hint', () => {
    assert.equal(backoffDelayMs(1, undefined, () => 0.5), 200);
    assert.equal(backoffDelayMs(3, undefined, () => 0.5), 800);
    assert.equal(backoffDelayMs(2, undefined, () => 0), 360);
    assert.equal(backoffDelayMs(2, undefined, () => 1), 440);
    assert.equal(backoffDelayMs(50, undefined, () => 0.5), 30_000);
    assert.equal(backoffDelayMs(1, 5_000), 5_000);
  });

  it('sleeps until aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(pending, /stop/);
  });
});
