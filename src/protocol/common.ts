// Enumerations and small shapes shared by the method families.
import { z } from 'zod';
import { lazy } from './lazy';

/** Kebab-case on the wire. `on-failure` was removed upstream; it is accepted and read as `on-request`. */
/**
 * `granular`: like on-request, but each kind of question may be turned off, and is then refused instead of
 * asked (codex's snake_case flags).
 */
export const GranularApproval = lazy(() =>
  z
    .object({
      granular: z
        .object({
          sandbox_approval: z.boolean(),
          rules: z.boolean(),
          mcp_elicitations: z.boolean(),
          request_permissions: z.boolean().default(false),
          skill_approval: z.boolean().default(false),
        })
        .strict(),
    })
    .strict(),
);
export type GranularApproval = z.infer<typeof GranularApproval>;

/** The plain approval policies, as a person writes them (config.toml, requirements.toml). */
export const APPROVAL_POLICY_NAMES = ['untrusted', 'on-request', 'never'] as const;
export const AskForApproval = lazy(() => z.union([z.enum(APPROVAL_POLICY_NAMES), z.literal('on-failure').transform(() => 'on-request' as const), GranularApproval]));
export type AskForApproval = 'untrusted' | 'on-request' | 'never' | GranularApproval;

/** The kinds of question a granular policy may turn off. */
export type ApprovalCategory = 'sandbox_approval' | 'rules';

/** The plain policy a granular one behaves as (on-request), for everything but its switched-off questions. */
export function approvalMode(policy: AskForApproval): 'untrusted' | 'on-request' | 'never' {
  return typeof policy === 'string' ? policy : 'on-request';
}

/** Whether the policy lets Tandem ask this kind of question (never: no question; granular: its flag). */
export function mayAsk(policy: AskForApproval, category: ApprovalCategory): boolean {
  if (typeof policy === 'string') return policy !== 'never';
  return policy.granular[category];
}

/** Why a question is not asked, for messages: "the approval policy is never", or the granular flag that is off. */
export function cannotAsk(policy: AskForApproval, category: ApprovalCategory): string {
  return typeof policy === 'string' ? `the approval policy is ${policy}` : `the granular approval policy turns these questions off (${category} = false)`;
}

export const SandboxMode = lazy(() => z.enum(['read-only', 'workspace-write', 'danger-full-access']));
export type SandboxMode = z.infer<typeof SandboxMode>;

export const SandboxPolicy = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('dangerFullAccess') }),
  z.object({ type: z.literal('readOnly'), networkAccess: z.boolean().optional() }),
  z.object({ type: z.literal('externalSandbox'), networkAccess: z.enum(['restricted', 'enabled']).optional() }),
  z.object({
    type: z.literal('workspaceWrite'),
    writableRoots: z.array(z.string()).optional(),
    networkAccess: z.boolean().optional(),
    excludeTmpdirEnvVar: z.boolean().optional(),
    excludeSlashTmp: z.boolean().optional(),
  }),
]));
export type SandboxPolicy = z.infer<typeof SandboxPolicy>;

/** An open string: models advertise their own efforts. */
export const ReasoningEffort = lazy(() => z.string().min(1));
export const ReasoningSummary = lazy(() => z.enum(['auto', 'concise', 'detailed', 'none']));
export type ReasoningSummary = z.infer<typeof ReasoningSummary>;
export const ApprovalsReviewer = lazy(() => z.enum(['user', 'auto_review', 'guardian_subagent']));
export type ApprovalsReviewer = z.infer<typeof ApprovalsReviewer>;
export const Personality = lazy(() => z.enum(['none', 'friendly', 'pragmatic']));

export const SessionSource = lazy(() => z.union([
  z.enum(['cli', 'vscode', 'exec', 'appServer', 'unknown']),
  z.object({ custom: z.string() }).strict(),
  z.object({ subAgent: z.unknown() }).strict(),
]));
export type SessionSource = z.infer<typeof SessionSource>;

export const GitInfo = lazy(() => z.object({
  sha: z.string().nullable(),
  branch: z.string().nullable(),
  originUrl: z.string().nullable(),
}));
export type GitInfo = z.infer<typeof GitInfo>;

export const SortDirection = lazy(() => z.enum(['asc', 'desc']));
/** `section_position` needs a section filter (`sectionId`); Tandem keeps no sections, so that page is empty. */
export const ThreadSortKey = lazy(() => z.enum(['created_at', 'updated_at', 'recency_at', 'section_position']));
