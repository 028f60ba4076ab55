// Admin requirements ($TANDEM_HOME/requirements.toml): which approval policies and sandbox modes threads
// and turns may use. A request for anything else is refused, saying what is allowed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { approvalMode, invalidRequest, SandboxMode, type AskForApproval, type SandboxPolicy } from '../../protocol';
import { APPROVAL_POLICIES } from './schema';

export interface Requirements {
  allowedApprovalPolicies: Array<'untrusted' | 'on-request' | 'never'> | null;
  allowedSandboxModes: SandboxMode[] | null;
}

export const requirementsPath = (home: string) => path.join(home, 'requirements.toml');

export function loadRequirements(home: string): Requirements | null {
  let text: string;
  try {
    text = fs.readFileSync(requirementsPath(home), 'utf8');
  } catch {
    return null;
  }
  let table: Record<string, unknown>;
  try {
    table = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    // An unreadable requirements file must not silently allow everything.
    throw new Error(`requirements.toml is not valid TOML: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const list = <T extends string>(key: string, allowed: readonly T[]): T[] | null => {
    const value = table[key];
    if (value === undefined) return null;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && (allowed as readonly string[]).includes(v))) {
      throw new Error(`requirements.toml: ${key} must be a list of ${allowed.join(', ')}`);
    }
    return value as T[];
  };
  return {
    allowedApprovalPolicies: list('allowed_approval_policies', APPROVAL_POLICIES),
    allowedSandboxModes: list<SandboxMode>('allowed_sandbox_modes', SandboxMode.options),
  };
}

export function sandboxModeOf(policy: SandboxPolicy): SandboxMode | null {
  switch (policy.type) {
    case 'readOnly':
      return 'read-only';
    case 'workspaceWrite':
      return 'workspace-write';
    case 'dangerFullAccess':
      return 'danger-full-access';
    default:
      return null;
  }
}

/** Throws -32600 when the approval policy or sandbox is not allowed. */
export function enforceRequirements(requirements: Requirements | null, approvalPolicy: AskForApproval, sandbox: SandboxPolicy): void {
  if (!requirements) return;
  const allowedPolicies = requirements.allowedApprovalPolicies;
  // A granular policy asks no more than on-request does, so it stands or falls with on-request.
  if (allowedPolicies && !allowedPolicies.includes(approvalMode(approvalPolicy))) {
    const named = typeof approvalPolicy === 'string' ? approvalPolicy : 'granular (an on-request policy)';
    throw invalidRequest(`approval policy ${named} is not allowed by requirements.toml; allowed: ${allowedPolicies.join(', ')}`);
  }
  const mode = sandboxModeOf(sandbox);
  const allowedModes = requirements.allowedSandboxModes;
  if (allowedModes && mode && !allowedModes.includes(mode)) {
    throw invalidRequest(`sandbox mode ${mode} is not allowed by requirements.toml; allowed: ${allowedModes.join(', ')}`);
  }
}
