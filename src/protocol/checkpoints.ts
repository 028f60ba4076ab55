// Tandem's own extension of the protocol: checkpoints of the files each turn changed, and restoring them.
// Every method is under `tandem/`, so it can never be mistaken for (or change the meaning of) a codex
// method; codex's `thread/revert` still rewinds the history only, and a client that wants both calls both.
import { z } from 'zod';
import { lazy } from './lazy';
import { request } from './method';

export const CheckpointFileChange = lazy(() => z.object({
  /** Relative to the workspace. */
  path: z.string(),
  /** For a rename: where the file was. */
  oldPath: z.string().nullable(),
  status: z.enum(['added', 'deleted', 'modified', 'renamed']),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  binary: z.boolean(),
}));
export type CheckpointFileChange = z.infer<typeof CheckpointFileChange>;

export const Checkpoint = lazy(() => z.object({
  /** The turn whose changes it holds; for a restore, `restore:<turnId>:<n>`. */
  turnId: z.string(),
  /** "restore": the checkpoint a restore took of the files it replaced (restoring it undoes the restore). */
  kind: z.enum(['turn', 'restore']),
  workspace: z.string(),
  /** "files": the workspace was too large to snapshot, so only files patches changed are kept. */
  scope: z.enum(['workspace', 'files']),
  /** Why some changes of this turn cannot be undone (a workspace too large for a snapshot). */
  limitation: z.string().nullable(),
  /** What the turn changed; empty until the turn ends. */
  files: z.array(CheckpointFileChange),
  /** Files left out of the snapshots (over the size bound or unreadable). */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** For a restore: the turn it undid. */
  restoredTurnId: z.string().nullable(),
  finished: z.boolean(),
  /** Unix seconds. */
  createdAt: z.number().int(),
}));
export type Checkpoint = z.infer<typeof Checkpoint>;

const TurnRef = lazy(() => z.object({
  threadId: z.string().min(1),
  turnId: z.string().min(1),
  /** Also undo every later turn in the same workspace ("restore files to here"). */
  includeLater: z.boolean().nullish(),
}));

export const RestoreConflict = lazy(() => z.object({
  path: z.string(),
  /** What the restore would do to it. */
  action: z.enum(['write', 'recreate', 'delete']),
  /** How it differs now from what the turn left: someone changed it since. */
  now: z.enum(['modified', 'deleted', 'added', 'unverifiable']),
}));
export type RestoreConflict = z.infer<typeof RestoreConflict>;

export const RestorePlan = lazy(() => z.object({
  workspace: z.string(),
  /** Changed by the turn(s): written back as they were. */
  write: z.array(z.string()),
  /** Deleted by the turn(s): created again. */
  recreate: z.array(z.string()),
  /** Added by the turn(s): removed. */
  delete: z.array(z.string()),
  /** Changed since: left alone unless named in `overwrite`. */
  conflicts: z.array(RestoreConflict),
  /** Cannot be put back (a file too large to snapshot stood there). */
  unrestorable: z.array(z.string()),
}));
export type RestorePlan = z.infer<typeof RestorePlan>;

/** The thread's checkpoints, oldest first. */
export const CheckpointList = request(
  'tandem/checkpoint/list',
  () => z.object({ threadId: z.string().min(1) }),
  () => z.object({ data: z.array(Checkpoint) }),
);

/** What restoring would change, conflicts included; changes nothing. */
export const CheckpointRestorePlan = request('tandem/checkpoint/restorePlan', () => TurnRef, () => z.object({ plan: RestorePlan }));

/** A file as it was before the turn(s) (`before`) or as they left it (`after`); null where it did not exist. */
export const CheckpointReadFile = request(
  'tandem/checkpoint/readFile',
  () => TurnRef.extend({ path: z.string().min(1).max(4096), side: z.enum(['before', 'after']) }),
  () => z.object({ contentBase64: z.string().nullable() }),
);

/**
 * Puts the files back as they were before the turn (and, with `includeLater`, every later one). It
 * takes a checkpoint first, returned as `undo`: restoring that one undoes this restore.
 */
export const CheckpointRestore = request(
  'tandem/checkpoint/restore',
  () => TurnRef.extend({ overwrite: z.array(z.string()).max(100_000).nullish() }),
  () =>
    z.object({
      restored: z.array(z.string()),
      /** Left alone: changed since the turn and not named in `overwrite`. */
      conflicts: z.array(RestoreConflict),
      failed: z.array(z.object({ path: z.string(), reason: z.string() })),
      unrestorable: z.array(z.string()),
      undo: Checkpoint,
    }),
);

/** Tandem's own requests (all under `tandem/`): checked against these descriptors, not codex's schema. */
export const TANDEM_REQUESTS = [CheckpointList, CheckpointRestorePlan, CheckpointReadFile, CheckpointRestore] as const;
