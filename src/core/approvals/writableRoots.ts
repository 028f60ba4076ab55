// The folders a sandbox policy lets the agent write without asking, for a given cwd.
import * as os from 'node:os';
import * as path from 'node:path';
import type { SandboxPolicy } from '../../protocol';

/** Policies that confine commands to a sandbox (the others run them as the user). */
export function isRestricted(sandbox: SandboxPolicy): boolean {
  return sandbox.type === 'readOnly' || sandbox.type === 'workspaceWrite';
}

export function writableRoots(sandbox: SandboxPolicy, cwd: string): string[] | 'everywhere' {
  switch (sandbox.type) {
    case 'dangerFullAccess':
    case 'externalSandbox':
      return 'everywhere';
    case 'readOnly':
      return [];
    case 'workspaceWrite': {
      const roots = [cwd, ...(sandbox.writableRoots ?? [])];
      if (!sandbox.excludeSlashTmp && process.platform !== 'win32') roots.push('/tmp');
      if (!sandbox.excludeTmpdirEnvVar && process.env.TMPDIR) roots.push(process.env.TMPDIR);
      else if (!sandbox.excludeTmpdirEnvVar) roots.push(os.tmpdir());
      return roots.map((r) => path.resolve(r));
    }
  }
}
