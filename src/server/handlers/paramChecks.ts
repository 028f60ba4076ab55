// The fields of thread/start|resume|fork and turn/start that Tandem honours only in part. Each is either
// honoured (a built-in permissions profile becomes the sandbox mode it names; the local environment's cwd
// becomes the cwd) or refused with a clear error: a client must never believe a feature works that Tandem
// drops. Fields codex itself ignores (deprecated ones, analytics) are accepted without comment.
import * as path from 'node:path';
import { invalidRequest, type SandboxMode } from '../../protocol';
import { BUILT_IN_PROFILES } from './catalog';

interface EnvironmentParams {
  cwd?: string | null;
  permissions?: string | null;
  runtimeWorkspaceRoots?: string[] | null;
  environments?: Array<{ environmentId: string; cwd: string; runtimeWorkspaceRoots?: string[] | null }> | null;
}

/** The sandbox mode a built-in permissions profile stands for; refuses other profiles and a clash with an explicit sandbox. */
export function permissionsMode(permissions: string | null | undefined, sandboxGiven: boolean): SandboxMode | undefined {
  if (permissions === null || permissions === undefined) return undefined;
  if (sandboxGiven) throw invalidRequest('permissions cannot be combined with a sandbox: send one or the other');
  const profile = BUILT_IN_PROFILES.find((p) => p.id === permissions);
  if (!profile) {
    throw invalidRequest(`unknown permissions profile "${permissions}": Tandem has the built-in ${BUILT_IN_PROFILES.map((p) => p.id).join(', ')} (named [permissions] profiles are not supported)`);
  }
  return profile.mode;
}

/**
 * Checks the environment a request selects against the one Tandem has (this machine, rooted at the thread's
 * cwd) and returns the cwd it implies, if any. `currentCwd` is the cwd the thread would otherwise use.
 */
export function environmentCwd(params: EnvironmentParams, currentCwd: string): string | undefined {
  let cwd = params.cwd ?? undefined;
  // An empty list selects nothing in particular (the codex TUI sends it): the local environment, as by default.
  if (params.environments?.length) {
    for (const environment of params.environments) {
      if (environment.environmentId !== 'local') throw invalidRequest(`unknown environment id \`${environment.environmentId}\`: Tandem has one environment, "local"`);
    }
    const local = params.environments[0]!;
    if (cwd && path.resolve(cwd) !== path.resolve(local.cwd)) throw invalidRequest('cwd and the local environment\'s cwd differ: send one of them');
    cwd ??= local.cwd;
    checkRoots(local.runtimeWorkspaceRoots, cwd);
  }
  checkRoots(params.runtimeWorkspaceRoots, cwd ?? currentCwd);
  return cwd;
}

/** Tandem's workspace is the thread's cwd: roots that say so are accepted, other roots are refused. */
function checkRoots(roots: string[] | null | undefined, cwd: string): void {
  // No roots (the codex TUI sends none) leaves the workspace as it is: the cwd.
  if (!roots?.length) return;
  if (roots.some((root) => !path.isAbsolute(root))) throw invalidRequest('runtimeWorkspaceRoots must be absolute paths');
  if (roots.length !== 1 || path.resolve(roots[0]!) !== path.resolve(cwd)) {
    throw invalidRequest(`runtimeWorkspaceRoots other than the thread's cwd (${cwd}) are not supported: Tandem's workspace is its cwd; to work elsewhere, set cwd`);
  }
}

/** thread/start fields for features Tandem does not have: refused unless off. */
export function checkThreadStartExtras(params: { daybreakEnabled?: boolean | null; experimentalRawEvents?: boolean | null; selectedCapabilityRoots?: unknown[] | null }): void {
  if (params.daybreakEnabled) throw invalidRequest('daybreakEnabled is not supported: Tandem has no Daybreak access program');
  if (params.experimentalRawEvents) throw invalidRequest('experimentalRawEvents is not supported: Tandem does not emit raw Responses API events');
  if (params.selectedCapabilityRoots?.length) throw invalidRequest('selectedCapabilityRoots is not supported: Tandem has no capability roots');
}

/** turn/start fields for features Tandem does not have: refused unless absent or the default. */
export function checkTurnStartExtras(params: { cyberAccessProgram?: string | null; toolOutput?: unknown }): void {
  if (params.cyberAccessProgram && params.cyberAccessProgram !== 'standard') throw invalidRequest(`cyberAccessProgram "${params.cyberAccessProgram}" is not supported: Tandem has only the standard program`);
  if (params.toolOutput !== undefined && params.toolOutput !== null) throw invalidRequest('toolOutput is not supported: send the turn\'s input instead');
}

/**
 * A thread request's settings with what `permissions` and `environments` imply made explicit (sandbox, cwd).
 * `threadCwd` gives the cwd the thread would otherwise have; it is read only when roots need checking.
 */
export async function settingsFromParams<P extends EnvironmentParams & { sandbox?: SandboxMode | null }>(params: P, threadCwd: () => Promise<string>): Promise<P> {
  const sandbox = permissionsMode(params.permissions, Boolean(params.sandbox));
  const needsCwd = Boolean(params.runtimeWorkspaceRoots?.length || params.environments?.length);
  const cwd = needsCwd ? environmentCwd(params, params.cwd ?? (await threadCwd())) : params.cwd;
  return { ...params, cwd: cwd ?? params.cwd, sandbox: sandbox ?? params.sandbox };
}
