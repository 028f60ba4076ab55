// command/exec: one-off commands a client runs under the configured sandbox.
import { z } from 'zod';
import { lazy } from './lazy';
import { SandboxPolicy } from './common';
import { notification, request } from './method';

export const TerminalSize = lazy(() => z.object({ rows: z.number().int().positive(), cols: z.number().int().positive() }));

export const CommandExecParams = lazy(() => z.object({
  command: z.array(z.string()),
  processId: z.string().nullish(),
  tty: z.boolean().optional(),
  /** Keeps stdin open for command/exec/write; without it (or tty) the command's stdin is closed. */
  streamStdin: z.boolean().optional(),
  streamStdoutStderr: z.boolean().optional(),
  outputBytesCap: z.number().int().nonnegative().nullish(),
  disableOutputCap: z.boolean().optional(),
  timeoutMs: z.number().int().nonnegative().nullish(),
  disableTimeout: z.boolean().optional(),
  cwd: z.string().nullish(),
  env: z.record(z.string(), z.string().nullable()).nullish(),
  size: TerminalSize.nullish(),
  sandboxPolicy: SandboxPolicy.nullish(),
}));
export type CommandExecParams = z.infer<typeof CommandExecParams>;

export const CommandExec = request('command/exec', () => CommandExecParams, () => z.object({ exitCode: z.number().int(), stdout: z.string(), stderr: z.string() }));
export const CommandExecWrite = request(
  'command/exec/write',
  () => z.object({ processId: z.string(), deltaBase64: z.string().nullish(), closeStdin: z.boolean().optional() }),
  () => z.object({}),
);
export const CommandExecTerminate = request('command/exec/terminate', () => z.object({ processId: z.string() }), () => z.object({}));
export const CommandExecResize = request('command/exec/resize', () => z.object({ processId: z.string(), size: TerminalSize }), () => z.object({}));
export const CommandExecOutputDelta = notification(
  'command/exec/outputDelta',
  () => z.object({ processId: z.string(), stream: z.enum(['stdout', 'stderr']), deltaBase64: z.string(), capReached: z.boolean() }),
);
