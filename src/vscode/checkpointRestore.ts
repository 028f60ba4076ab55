// The chat's undo, in VS Code's own UI: a restore shows what will change in the multi-file changes editor
// (each file as it is now against how it will be), asks in a modal (files changed since the turn are named,
// left alone unless the user says to overwrite them too), restores, and says what it could not do. A rewind
// (codex's thread/revert, history only) is asked for the same way, after the files when both are wanted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CheckpointList,
  CheckpointRestore,
  CheckpointRestorePlan,
  ErrorCode,
  RpcError,
  ThreadRevert,
  type CheckpointDiffCall,
  type CheckpointRestoreCall,
  type ParamsOf,
  type RestorePlan,
} from '../protocol';
import type { Logger } from '../core/log';
import { checkpointUri, closeCheckpointTabs, type CheckpointClient } from './checkpointDocuments';
import { hasChanges, intentOf, restoreDialog, restoreReport, rewindDialog } from './checkpointDialog';

export interface RestoreOutcome {
  restored: boolean;
  rewound: boolean;
}

type TurnRef = ParamsOf<typeof CheckpointRestorePlan>;
/** One file of the changes editor: the file, its side now (none: absent) and its side after the restore. */
type ChangeTriple = [vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined];

const NOTHING: RestoreOutcome = { restored: false, rewound: false };

export class CheckpointRestorer {
  /** Numbers each restore's documents, so a plan shown again reads the files again. */
  private shown = 0;

  constructor(
    private readonly client: CheckpointClient,
    private readonly logger: Logger,
  ) {}

  async run(call: CheckpointRestoreCall): Promise<RestoreOutcome> {
    const intent = intentOf(call);
    if (!intent) throw new RpcError(ErrorCode.InvalidRequest, 'Nothing to restore or rewind');
    if (intent === 'rewind') {
      const words = rewindDialog();
      const choice = await vscode.window.showWarningMessage(words.message, { modal: true, detail: words.detail }, words.primary);
      if (choice !== words.primary) return NOTHING;
      return { restored: false, rewound: await this.rewind(call.threadId, call.rewindBeforeTurnId!) };
    }
    const ref: TurnRef = { threadId: call.threadId, turnId: call.files!.turnId, includeLater: call.files!.includeLater };
    const plan = await this.attempt((reason) => vscode.l10n.t('Tandem could not work out what to restore: {0}', reason), async () => CheckpointRestorePlan.result.parse(await this.client.request(CheckpointRestorePlan.method, ref)).plan);
    if (!plan) return NOTHING;
    if (!hasChanges(plan) && plan.conflicts.length === 0 && plan.unrestorable.length === 0 && intent !== 'restoreAndRewind') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to restore: the files are already as they were.'));
      return NOTHING;
    }
    const view = `restore-${++this.shown}`;
    await this.showPlan(view, ref, plan).catch((error: unknown) => this.logger.warn('could not show the files a restore changes', { error: String(error) }));
    const dialog = restoreDialog(intent, plan);
    const buttons = dialog.overwrite ? [dialog.primary, dialog.overwrite] : [dialog.primary];
    // Unsaved edits in an editor are not on disk, so the restore cannot see them: say so before it writes.
    const planned = new Set([...plan.write, ...plan.recreate, ...plan.delete, ...plan.conflicts.map((c) => c.path)].map((p) => path.join(plan.workspace, p)));
    const unsaved = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && planned.has(d.uri.fsPath)).map((d) => path.relative(plan.workspace, d.uri.fsPath));
    const detail = unsaved.length > 0 ? `${dialog.detail}\n\n${vscode.l10n.t('Unsaved in the editor: {0}. The restore changes these files on disk; the editor keeps your unsaved text until you save or revert it.', unsaved.join(', '))}` : dialog.detail;
    const choice = await vscode.window.showWarningMessage(dialog.message, { modal: true, detail }, ...buttons);
    // Dismissed: the diff stays open for a second look.
    if (choice === undefined) return NOTHING;
    const overwrite = choice === dialog.overwrite ? plan.conflicts.map((conflict) => conflict.path) : undefined;
    const result = await this.attempt((reason) => vscode.l10n.t('Tandem could not restore the files: {0}', reason), async () =>
      CheckpointRestore.result.parse(await this.client.request(CheckpointRestore.method, { ...ref, ...(overwrite ? { overwrite } : {}) })),
    );
    if (!result) return NOTHING;
    // The diff showed the files before the restore: stale now.
    void closeCheckpointTabs(view).catch(() => undefined);
    const report = restoreReport(result);
    if (report) void vscode.window.showWarningMessage(report);
    const rewound = intent === 'restoreAndRewind' ? await this.rewind(call.threadId, call.rewindBeforeTurnId!) : false;
    return { restored: true, rewound };
  }

  /** One file of a checkpoint in the diff editor: before the turn against what the turn left. */
  async openDiff(call: CheckpointDiffCall): Promise<void> {
    await this.attempt((reason) => vscode.l10n.t('Tandem could not open the diff: {0}', reason), async () => {
      const { data } = CheckpointList.result.parse(await this.client.request(CheckpointList.method, { threadId: call.threadId }));
      const checkpoint = data.find((c) => c.turnId === call.turnId);
      const file = checkpoint?.files.find((f) => f.path === call.path);
      if (!checkpoint || !file) throw new Error(vscode.l10n.t('{0} is not among the files of that checkpoint.', call.path));
      const ref = { threadId: call.threadId, turnId: call.turnId, includeLater: false };
      const view = `turn-${call.turnId}`;
      const before = checkpointUri(checkpoint.workspace, { ...ref, path: file.oldPath ?? file.path, side: 'before' }, view);
      const after = checkpointUri(checkpoint.workspace, { ...ref, path: file.path, side: 'after' }, view);
      const name = file.oldPath ? `${file.oldPath} → ${file.path}` : file.path;
      const title = checkpoint.kind === 'restore' ? vscode.l10n.t('{0} (restored by Tandem)', name) : vscode.l10n.t("{0} (Tandem's change in the turn)", name);
      await vscode.commands.executeCommand('vscode.diff', before, after, title, { preview: true });
    });
  }

  /**
   * The changes editor, each file as VS Code labels any change: one the restore creates again has no side
   * now (added), one it removes none after (deleted). Files changed since the turn are in it too: the dialog
   * offers to overwrite them.
   */
  private async showPlan(view: string, ref: TurnRef, plan: RestorePlan): Promise<void> {
    const actions = new Map<string, { action: 'write' | 'recreate' | 'delete'; conflict: boolean }>();
    for (const file of plan.write) actions.set(file, { action: 'write', conflict: false });
    for (const file of plan.recreate) actions.set(file, { action: 'recreate', conflict: false });
    for (const file of plan.delete) actions.set(file, { action: 'delete', conflict: false });
    for (const conflict of plan.conflicts) actions.set(conflict.path, { action: conflict.action, conflict: true });
    const entries: ChangeTriple[] = [];
    for (const [relative, { action, conflict }] of actions) {
      const file = vscode.Uri.file(path.join(plan.workspace, relative));
      const side = (s: 'before' | 'after') => checkpointUri(plan.workspace, { threadId: ref.threadId, turnId: ref.turnId, includeLater: ref.includeLater === true, path: relative, side: s }, view);
      const exists = await fs.promises.stat(file.fsPath).then(() => true, () => false);
      // A file the restore removes is shown from the checkpoint (it is what the turn left), so the tab
      // belongs to this restore even when every file is a removal; one changed since shows as it is.
      const now = !exists ? undefined : action === 'delete' && !conflict ? side('after') : file;
      const after = action === 'delete' ? undefined : side('before');
      if (now || after) entries.push([file, now, after]);
    }
    if (entries.length === 0) return;
    await vscode.commands.executeCommand('vscode.changes', vscode.l10n.t('Tandem: files to restore'), entries);
  }

  private async rewind(threadId: string, beforeTurnId: string): Promise<boolean> {
    const params: ParamsOf<typeof ThreadRevert> = { threadId, beforeTurnId };
    const done = await this.attempt((reason) => vscode.l10n.t('Tandem could not rewind the conversation: {0}', reason), async () => {
      await this.client.request(ThreadRevert.method, params);
      return true;
    });
    return done === true;
  }

  /** Runs a step; a failure is said in an error message (`say` words it) and comes back as undefined. */
  private async attempt<T>(say: (reason: string) => string, step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn('a checkpoint action failed', { error: reason });
      void vscode.window.showErrorMessage(say(reason));
      return undefined;
    }
  }
}
