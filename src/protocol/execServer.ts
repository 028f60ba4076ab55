// exec-server.v0: a small process-execution protocol served by `tandem exec-server`, over the same
// JSON-RPC lite envelope and transports as the app-server.
import { z } from 'zod';
import { lazy } from './lazy';
import { notification, request } from './method';

export const EXEC_SERVER_PROTOCOL_VERSION = 'exec-server.v0';

export const ExecInitialize = request('initialize', () => z.object({ clientName: z.string() }), () => z.object({ protocolVersion: z.literal(EXEC_SERVER_PROTOCOL_VERSION) }));

export const ProcessStart = request(
  'process/start',
  () => z.object({
    processId: z.string().min(1),
    argv: z.array(z.string()),
    cwd: z.string(),
    env: z.record(z.string(), z.string()).nullish(),
    /** A terminal takes `process/write`; without one, the process starts with stdin closed. */
    tty: z.boolean().optional(),
    /** What the program sees as argv[0] (pipes only). */
    arg0: z.string().nullish(),
  }),
  () => z.object({ processId: z.string() }),
);

export const OutputChunk = lazy(() => z.object({
  seq: z.number().int().nonnegative(),
  stream: z.enum(['stdout', 'stderr', 'pty']),
  /** Base64 bytes. */
  chunk: z.string(),
}));

export const ProcessRead = request(
  'process/read',
  () => z.object({
    processId: z.string(),
    /** Return chunks with a larger seq; omit for everything still retained. */
    afterSeq: z.number().int().nullish(),
    maxBytes: z.number().int().positive().nullish(),
    /** When nothing new is there yet, wait up to this long for output or exit. */
    waitMs: z.number().int().nonnegative().nullish(),
  }),
  () => z.object({
    chunks: z.array(OutputChunk),
    /** Pass as `afterSeq` next time. */
    nextSeq: z.number().int(),
    exited: z.boolean(),
    exitCode: z.number().int().nullable(),
    /** Output after `afterSeq` was dropped because the retention cap was reached. */
    truncated: z.boolean(),
  }),
);

/** Base64 bytes to a terminal process; a pipe process answers an invalid-request error (its stdin is closed). */
export const ProcessWrite = request('process/write', () => z.object({ processId: z.string(), chunk: z.string() }), () => z.object({ accepted: z.boolean() }));
export const ProcessTerminate = request('process/terminate', () => z.object({ processId: z.string() }), () => z.object({ running: z.boolean() }));

export const ProcessOutput = notification('process/output', () => z.object({ processId: z.string() }).extend(OutputChunk.shape));
export const ProcessExited = notification('process/exited', () => z.object({ processId: z.string(), exitCode: z.number().int().nullable() }));
