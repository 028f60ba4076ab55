// The macOS seatbelt profile (sandbox-exec -p): read anywhere except credential files, write only the
// writable roots minus their protected paths, no network unless allowed. It mirrors the bubblewrap mounts;
// unlike a bind mount, a seatbelt rule also covers a protected path that does not exist yet.
import type { SandboxPolicy } from '../../protocol';
import { writableRoots } from '../approvals/writableRoots';
import { isInside } from '../approvals/realPath';
import { protectedNamesUnder, realPath, type ProtectedMounts } from './protectedPaths';

const escapeSb = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export function seatbeltProfileFor(policy: SandboxPolicy, mounts: ProtectedMounts, network: boolean, cwd: string): string {
  const roots = writableRoots(policy, cwd);
  const lines = ['(version 1)', '(deny default)', '(allow process-exec)', '(allow process-fork)', '(allow signal (target same-sandbox))', '(allow sysctl-read)', '(allow file-read*)'];
  lines.push('(allow file-write-data (literal "/dev/null"))');
  if (roots === 'everywhere') lines.push('(allow file-write*)');
  else {
    // Real paths where they exist (/tmp is /private/tmp on macOS), as named otherwise.
    for (const root of [...new Set(roots.map((r) => realPath(r) ?? r))]) {
      const denied = [...new Set([...protectedNamesUnder(root), ...mounts.readOnly.filter((p) => isInside(p, root))])];
      const exceptions = denied.map((p) => ` (require-not (subpath "${escapeSb(p)}"))`).join('');
      lines.push(`(allow file-write* (require-all (subpath "${escapeSb(root)}")${exceptions}))`);
    }
  }
  // Later rules win over the (allow file-read*) above.
  for (const file of mounts.masked) lines.push(`(deny file-read* file-write* (literal "${escapeSb(file)}"))`);
  for (const home of mounts.hidden) lines.push(`(deny file-read* file-write* (subpath "${escapeSb(home)}"))`);
  if (network) lines.push('(allow network*)');
  return lines.join('\n') + '\n';
}
