// The context that precedes a thread's first user message: a developer message with the skills, the
// permissions and the developer instructions, and a user message with AGENTS.md and the environment.
import * as path from 'node:path';
import type { AskForApproval, SandboxPolicy } from '../../protocol';
import type { ContentItem, ResponseItem } from '../model/responseItems';
import { localTimeZone } from './localTimeZone';

export interface EnvironmentFacts {
  cwd: string;
  shell: string;
  currentDate: string;
  timezone: string;
  workspaceRoots: readonly string[];
}

export function currentEnvironment(cwd: string, workspaceRoots: readonly string[], now = new Date()): EnvironmentFacts {
  const shell = path.basename(process.env.SHELL ?? (process.platform === 'win32' ? 'powershell' : 'bash'));
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    cwd,
    shell,
    currentDate: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`,
    timezone: localTimeZone(),
    workspaceRoots,
  };
}

export const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function environmentContextText(facts: EnvironmentFacts): string {
  const roots = facts.workspaceRoots.length
    ? `\n  <workspace_roots>\n${facts.workspaceRoots.map((r) => `    <root>${escapeXml(r)}</root>`).join('\n')}\n  </workspace_roots>`
    : '';
  return `<environment_context>
  <cwd>${escapeXml(facts.cwd)}</cwd>
  <shell>${escapeXml(facts.shell)}</shell>
  <current_date>${facts.currentDate}</current_date>
  <timezone>${escapeXml(facts.timezone)}</timezone>${roots}
</environment_context>`;
}

const APPROVAL_TEXT: Record<'untrusted' | 'on-request' | 'never', string> = {
  untrusted: 'Approval policy: untrusted. Every command and every file change needs the user\'s approval.',
  'on-request': 'Approval policy: on-request. Commands run inside the sandbox without asking. When a command needs more than the sandbox allows (writing outside the writable roots, network access), the user is asked first.',
  never: 'Approval policy: never. The user will not be asked. If something fails because of the sandbox, work around it or explain; do not ask for approval.',
};

function approvalText(approval: AskForApproval): string {
  if (typeof approval === 'string') return APPROVAL_TEXT[approval];
  const off = (['sandbox_approval', 'rules'] as const).filter((flag) => !approval.granular[flag]);
  const refused = off.length === 0 ? '' : ` These questions are turned off and what needs them is refused instead: ${off.map((flag) => (flag === 'rules' ? 'approvals that command rules require' : 'running outside the sandbox or writing outside the writable roots')).join('; ')}.`;
  return `${APPROVAL_TEXT['on-request'].replace('on-request', 'granular (on-request with some questions turned off)')}${refused}`;
}

export function permissionsText(approval: AskForApproval, sandbox: SandboxPolicy): string {
  let sandboxText: string;
  switch (sandbox.type) {
    case 'dangerFullAccess':
      sandboxText = 'Sandbox: none (full access). Commands can read and write anywhere and use the network.';
      break;
    case 'readOnly':
      sandboxText = `Sandbox: read-only. Commands can read files but not write them${sandbox.networkAccess ? '' : ', and the network is off'}.`;
      break;
    case 'externalSandbox':
      sandboxText = 'Sandbox: provided by the environment Tandem runs in.';
      break;
    case 'workspaceWrite': {
      const roots = sandbox.writableRoots?.length ? ` Writable roots: ${sandbox.writableRoots.join(', ')}.` : '';
      sandboxText = `Sandbox: workspace-write. Commands can write inside the workspace (not its .git folder)${sandbox.networkAccess ? '' : '; the network is off'}.${roots}`;
      break;
    }
  }
  return `<permissions instructions>\n${sandboxText}\n${approvalText(approval)}\n</permissions instructions>`;
}

export interface InitialContextOptions {
  approvalPolicy: AskForApproval;
  sandbox: SandboxPolicy;
  developerInstructions: string | undefined;
  /** The `<collaboration_mode>` text of a thread in Plan mode; none in Default mode. */
  collaborationModeText?: string;
  /** The `<skills_instructions>` block; it goes before the permissions, where codex puts it. */
  skillsInstructions?: string;
  /** The `<tools>` section naming the namespaces a searching model can find; after the permissions, as codex puts it. */
  deferredToolsText?: string;
  projectDocs: string;
  /** Whether the heading names the cwd: codex names it only when project docs are part of the text. */
  instructionsNameCwd?: boolean;
  environment: EnvironmentFacts;
}

export function initialContextItems(options: InitialContextOptions): ResponseItem[] {
  const developer: ContentItem[] = [];
  if (options.skillsInstructions) developer.push({ type: 'input_text', text: options.skillsInstructions });
  developer.push({ type: 'input_text', text: permissionsText(options.approvalPolicy, options.sandbox) });
  if (options.deferredToolsText) developer.push({ type: 'input_text', text: options.deferredToolsText });
  if (options.developerInstructions?.trim()) developer.push({ type: 'input_text', text: options.developerInstructions });
  if (options.collaborationModeText) developer.push({ type: 'input_text', text: options.collaborationModeText });
  const user: ContentItem[] = [];
  if (options.projectDocs) {
    user.push({
      type: 'input_text',
      text: `# AGENTS.md instructions${options.instructionsNameCwd === false ? '' : ` for ${options.environment.cwd}`}\n\n<INSTRUCTIONS>\n${options.projectDocs}\n</INSTRUCTIONS>`,
    });
  }
  user.push({ type: 'input_text', text: environmentContextText(options.environment) });
  return [
    { type: 'message', role: 'developer', content: developer },
    { type: 'message', role: 'user', content: user },
  ];
}
