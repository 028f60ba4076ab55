import { isIP } from 'node:net';

export type ListenTarget = { kind: 'stdio' } | { kind: 'ws'; host: string; port: number };

const ACCEPTED_FORMS = 'stdio:// or ws://IP:PORT with an IP literal (for example ws://127.0.0.1:4500 or ws://[::1]:4500)';

/** Parses `--listen`; anything else than the accepted forms is refused with a message naming them. */
export function parseListenUrl(value: string): ListenTarget {
  const text = value.trim();
  if (text === 'stdio://' || text === 'stdio') return { kind: 'stdio' };
  const match = /^ws:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(text);
  if (!match) throw new Error(`unsupported --listen URL ${JSON.stringify(value)}: expected ${ACCEPTED_FORMS}`);
  const rawHost = match[1]!;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  if (isIP(host) === 0) {
    throw new Error(`--listen needs an IP literal, not the hostname ${JSON.stringify(host)}: expected ${ACCEPTED_FORMS}`);
  }
  const port = Number(match[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--listen port ${match[2]} is out of range (0-65535)`);
  return { kind: 'ws', host, port };
}

export function isLoopback(host: string): boolean {
  return host === '::1' || host.startsWith('127.') || host === '::ffff:127.0.0.1';
}
