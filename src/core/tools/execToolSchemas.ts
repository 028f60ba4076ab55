// The arguments of exec_command and write_stdin, and the specs the model is shown for them. Numbers are
// coerced, so a model that sends "500" for 500 is understood as before.
import { z } from 'zod';
import { lazy } from '../../protocol/lazy';
import { functionSpec } from './toolArguments';

export const ExecCommandArguments = lazy(() => z.object({
  cmd: z.string().describe('The shell command to run.'),
  workdir: z.string().describe('Working directory, relative to the thread cwd or absolute.').optional(),
  yield_time_ms: z.coerce.number().describe('How long to wait for output before returning (default 10000).').optional(),
  max_output_tokens: z.coerce.number().describe('Cap on the output returned (default 10000 tokens).').optional(),
  tty: z.boolean().describe('Run in a pseudo-terminal (default false).').optional(),
  shell: z.string().describe('An installed shell, by path or name (default: the user shell).').optional(),
  login: z.boolean().describe('Run as a login shell (default true).').optional(),
  sandbox_permissions: z.enum(['use_default', 'require_escalated']).optional(),
  justification: z.string().describe('Why escalation is needed, shown to the user.').optional(),
}));
export type ExecCommandArguments = z.output<typeof ExecCommandArguments>;

export const WriteStdinArguments = lazy(() => z.object({
  session_id: z.coerce.number(),
  chars: z.string().describe('Characters to write; include "\\n" to submit a line. Empty to just read.').optional(),
  yield_time_ms: z.coerce.number().optional(),
  max_output_tokens: z.coerce.number().optional(),
}));

export const EXEC_COMMAND_SPEC = functionSpec(
  'exec_command',
  'Run a shell command in the workspace and return its output. Returns after the command exits or after yield_time_ms; a command still running gets a session_id for write_stdin. Set workdir instead of using cd. Set sandbox_permissions to "require_escalated" (with a justification) only when the command must run outside the sandbox.',
  ExecCommandArguments,
);

export const WRITE_STDIN_SPEC = functionSpec(
  'write_stdin',
  'Write characters to a running exec_command session (or send "" to poll) and return the output since the last read.',
  WriteStdinArguments,
);
