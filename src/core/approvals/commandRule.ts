// Whether a command the model asks for runs in the sandbox, runs outside it, needs the user's approval
// first, or is refused. Fails closed: where the policy wants a sandbox and none can run, nothing runs
// unsandboxed without the user saying so.
import { approvalMode, cannotAsk, mayAsk, type AskForApproval, type SandboxPolicy } from '../../protocol';
import type { RuleVerdict } from './execPolicy';
import { isRestricted } from './writableRoots';

export { isRestricted };

export type CommandDecision =
  /** Run now; `sandboxed` says whether inside the sandbox. */
  | { kind: 'run'; sandboxed: boolean }
  /** Ask first; if approved, run as `sandboxed` says. */
  | { kind: 'ask'; reason: string | null; sandboxed: boolean }
  /** Never run; the reason goes to the model and onto the item's card. */
  | { kind: 'refuse'; reason: string };

export interface CommandRuleInput {
  policy: AskForApproval;
  sandbox: SandboxPolicy;
  /** Why no sandbox can run on this machine, or null when one can. */
  sandboxUnavailable: string | null;
  /** The model asked to run outside the sandbox (`sandbox_permissions: "require_escalated"`). */
  escalate: boolean;
  justification: string | null;
  /** What the user's command rules (`rules/*.rules`) say about this command, if anything. */
  rule: RuleVerdict;
  /** Whether the user answered "for this session" for this exact command in this cwd, run this way. */
  sessionApproved: (sandboxed: boolean) => boolean;
}

export const NO_SANDBOX_FIX = 'install bubblewrap (the "bubblewrap" package), or choose sandbox_mode = "danger-full-access" on purpose';

export function decideCommand(input: CommandRuleInput): CommandDecision {
  const { policy, escalate, rule } = input;
  // The user's own rules come first, as codex applies them: forbidden never runs; a command every part of
  // which the user allowed runs as they allowed it, outside the sandbox; a prompt rule always asks.
  if (rule?.decision === 'forbidden') return { kind: 'refuse', reason: `a command rule forbids it (${rule.rule.origin})` };
  if (rule?.decision === 'allow') return { kind: 'run', sandboxed: false };
  if (rule?.decision === 'prompt') {
    if (!mayAsk(policy, 'rules')) return { kind: 'refuse', reason: `a command rule (${rule.rule.origin}) requires approval, but ${cannotAsk(policy, 'rules')}` };
    const sandboxed = isRestricted(input.sandbox) && input.sandboxUnavailable === null && !escalate;
    return { kind: 'ask', reason: `A command rule asks for approval (${rule.rule.origin}).`, sandboxed };
  }
  if (escalate) {
    if (approvalMode(policy) !== 'on-request') {
      return { kind: 'refuse', reason: `approval policy is ${policy}; rejected the command: do not ask for escalated permissions when the approval policy is ${policy}` };
    }
    if (!mayAsk(policy, 'sandbox_approval')) {
      return { kind: 'refuse', reason: `${cannotAsk(policy, 'sandbox_approval')}; rejected the command: do not ask for escalated permissions` };
    }
    if (input.sessionApproved(false)) return { kind: 'run', sandboxed: false };
    return { kind: 'ask', reason: input.justification ? `${input.justification} (It asks to run outside the sandbox.)` : 'The command asks to run outside the sandbox.', sandboxed: false };
  }
  if (!isRestricted(input.sandbox)) {
    // Untrusted asks before every command, read-only ones included, as codex does.
    const ask = policy === 'untrusted' && !input.sessionApproved(false);
    return ask ? { kind: 'ask', reason: null, sandboxed: false } : { kind: 'run', sandboxed: false };
  }
  if (input.sandboxUnavailable !== null) {
    // The policy asked for a sandbox that cannot run: only the user may waive it, one command at a time.
    if (!mayAsk(policy, 'sandbox_approval')) {
      return { kind: 'refuse', reason: `no sandbox can run on this machine (${input.sandboxUnavailable}) and ${cannotAsk(policy, 'sandbox_approval')}, so the command cannot run unsandboxed; to fix this, ${NO_SANDBOX_FIX}` };
    }
    if (input.sessionApproved(false)) return { kind: 'run', sandboxed: false };
    return { kind: 'ask', reason: `No sandbox is available on this machine (${input.sandboxUnavailable}): if you approve, the command runs with your full permissions.`, sandboxed: false };
  }
  if (policy === 'untrusted' && !input.sessionApproved(true)) return { kind: 'ask', reason: input.justification, sandboxed: true };
  return { kind: 'run', sandboxed: true };
}
