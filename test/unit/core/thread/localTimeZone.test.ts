import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { localTimeZone, type TimeZoneSources } from '../../../../src/core/thread/localTimeZone';

function sources(over: Partial<TimeZoneSources> & { zones?: string[] }): TimeZoneSources {
  const zones = new Set(over.zones ?? ['Europe/Paris', 'Asia/Calcutta', 'Etc/UTC', 'EST5EDT']);
  return {
    env: {},
    readLink: () => undefined,
    zoneExists: (name) => zones.has(name),
    fromIntl: () => 'From/Intl',
    ...over,
  };
}

describe('core/thread/localTimeZone', () => {
  it('takes TZ when it names a zone the system has (a leading colon allowed)', () => {
    assert.equal(localTimeZone(sources({ env: { TZ: 'Europe/Paris' } })), 'Europe/Paris');
    assert.equal(localTimeZone(sources({ env: { TZ: ':Asia/Calcutta' } })), 'Asia/Calcutta');
    assert.equal(localTimeZone(sources({ env: { TZ: 'EST5EDT' } })), 'EST5EDT');
  });

  it('asks Intl when TZ names no zone, and says UTC when Intl knows none either', () => {
    assert.equal(localTimeZone(sources({ env: { TZ: 'Nowhere/Bogus' } })), 'From/Intl');
    assert.equal(localTimeZone(sources({ env: { TZ: '../../etc/passwd' }, zones: ['../../etc/passwd'] })), 'From/Intl');
    assert.equal(localTimeZone(sources({ env: { TZ: 'Nowhere/Bogus' }, fromIntl: () => undefined })), 'UTC');
  });

  it('reads the zone /etc/localtime links to when TZ is not set', () => {
    const linked = (target: string) => sources({ readLink: (file) => (file === '/etc/localtime' ? target : undefined) });
    assert.equal(localTimeZone(linked('/usr/share/zoneinfo/Europe/Paris')), 'Europe/Paris');
    assert.equal(localTimeZone(linked('../usr/share/zoneinfo/Etc/UTC')), 'Etc/UTC');
    assert.equal(localTimeZone(linked('/usr/share/zoneinfo/posix/America/New_York')), 'America/New_York');
    assert.equal(localTimeZone(linked('/var/db/timezone/zoneinfo/Asia/Tokyo')), 'Asia/Tokyo');
    assert.equal(localTimeZone(linked('/somewhere/else')), 'From/Intl');
    assert.equal(localTimeZone(sources({})), 'From/Intl', 'no link: Intl');
  });

  it('finds this machine\'s zone from the system, as the real sources read it', () => {
    const link = (() => {
      try {
        return fs.readlinkSync('/etc/localtime');
      } catch {
        return undefined;
      }
    })();
    const expected = process.env.TZ ? process.env.TZ.replace(/^:/, '') : link?.split('zoneinfo/')[1]?.replace(/^(posix|right)\//, '');
    assert.equal(localTimeZone(), expected ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});
