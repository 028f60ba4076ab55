// The local time zone's IANA name for the environment context, found where the system keeps it: TZ, then
// the zoneinfo file /etc/localtime links to (as codex finds it). Asking Intl instead loads ICU's date
// formatting into the process, about 5 MB of a server's resident memory, for one name per thread.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ZONEINFO = '/usr/share/zoneinfo';
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

export interface TimeZoneSources {
  env: NodeJS.ProcessEnv;
  /** The target of a symbolic link, or undefined when it is not one. */
  readLink(file: string): string | undefined;
  /** Whether a zoneinfo file of this name exists. */
  zoneExists(name: string): boolean;
  /** What the JavaScript runtime says (ICU). */
  fromIntl(): string | undefined;
}

const systemSources: TimeZoneSources = {
  env: process.env,
  readLink: (file) => {
    try {
      return fs.readlinkSync(file);
    } catch {
      return undefined;
    }
  },
  zoneExists: (name) => fs.existsSync(path.join(ZONEINFO, name)),
  fromIntl: () => Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined,
};

export function localTimeZone(sources: TimeZoneSources = systemSources): string {
  if (process.platform !== 'win32') {
    const fromEnv = sources.env.TZ?.replace(/^:/, '');
    if (fromEnv) {
      if (ZONE_NAME.test(fromEnv) && sources.zoneExists(fromEnv)) return fromEnv;
    } else {
      const link = sources.readLink('/etc/localtime');
      const at = link?.lastIndexOf('zoneinfo/') ?? -1;
      const name = at === -1 ? undefined : link!.slice(at + 'zoneinfo/'.length).replace(/^(posix|right)\//, '');
      if (name && ZONE_NAME.test(name)) return name;
    }
  }
  // A TZ the C library does not know means UTC to it too.
  return sources.fromIntl() ?? 'UTC';
}
