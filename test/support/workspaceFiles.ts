// A workspace's files as tests write, read and compare them (checkpoint and restore tests).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every path under `dir` (a root .git left out) with its kind, executable bit and content hash. */
export function state(dir: string, skipRootGit = true): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      if (skipRootGit && child === '.git') continue;
      const full = path.join(dir, child);
      const stat = fs.lstatSync(full);
      if (stat.isSymbolicLink()) out[child] = `link:${fs.readlinkSync(full)}`;
      else if (stat.isDirectory()) {
        out[child] = 'dir';
        walk(child);
      } else out[child] = `file:${stat.mode & 0o100 ? 'x' : '-'}:${createHash('sha1').update(fs.readFileSync(full)).digest('hex')}`;
    }
  };
  walk('');
  return out;
}

export function write(ws: string, rel: string, content: string | Buffer, mode = 0o644): void {
  fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
  fs.writeFileSync(path.join(ws, rel), content);
  fs.chmodSync(path.join(ws, rel), mode);
}

export function read(ws: string, rel: string): string {
  return fs.readFileSync(path.join(ws, rel), 'utf8');
}

