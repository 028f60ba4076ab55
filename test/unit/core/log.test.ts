import { strict as assert } from 'node:assert';
import { createStreamLogger, loggerFromEnv, parseLogLevel } from '../../../src/core/log';

describe('core/log', () => {
  const now = () => new Date('2026-01-02T03:04:05.000Z');

  it('writes readable lines and filters below the level', () => {
    const lines: string[] = [];
    const logger = createStreamLogger({ level: 'info', format: 'text', write: (l) => lines.push(l), now });
    logger.debug('hidden');
    logger.info('started', { port: 4500, name: 'x' });
    assert.deepEqual(lines, ['2026-01-02T03:04:05.000Z INFO  started port=4500 name="x"\n']);
  });

  it('writes one JSON object per line with LOG_FORMAT=json', () => {
    const lines: string[] = [];
    const logger = loggerFromEnv({ LOG_FORMAT: 'json', TANDEM_LOG: 'warn' }, (l) => lines.push(l));
    logger.info('hidden');
    logger.warn('careful', { reason: 'x' });
    assert.equal(lines.length, 1);
    const parsed = JSON.parse(lines[0]!);
    assert.equal(parsed.level, 'warn');
    assert.equal(parsed.message, 'careful');
    assert.equal(parsed.reason, 'x');
  });

  it('falls back to info for unknown levels', () => {
    assert.equal(parseLogLevel('DEBUG'), 'debug');
    assert.equal(parseLogLevel('loud'), 'info');
    assert.equal(parseLogLevel(undefined, 'warn'), 'warn');
  });
});
