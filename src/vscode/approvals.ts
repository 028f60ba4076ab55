// Answers the server's approval requests with native modal dialogs. The host remembers the items it has
// seen (from notifications) so a patch prompt can show the files and the diff the request refers to.
import * as vscode from 'vscode';
import type { FileUpdateChange, ThreadItem } from '../protocol';
import { commandPrompt, decisionFor, patchPrompt, type CommandApprovalParams, type Prompt } from './approvalPrompts';

/** Items kept for prompts; old ones are forgotten so a long session does not grow this without bound. */
const MAX_REMEMBERED_ITEMS = 500;

export class ApprovalResponder {
  private readonly items = new Map<string, ThreadItem>();

  /** Feed every server notification here. */
  observe(method: string, params: unknown): void {
    if (method !== 'item/started' && method !== 'item/completed') return;
    const item = (params as { item?: ThreadItem }).item;
    if (!item) return;
    this.items.set(item.id, item);
    if (this.items.size > MAX_REMEMBERED_ITEMS) this.items.delete(this.items.keys().next().value!);
  }

  async answer(method: string, params: unknown): Promise<unknown> {
    if (method === 'item/commandExecution/requestApproval') {
      const request = params as CommandApprovalParams;
      return { decision: await this.ask(commandPrompt(request, 'Runs in the sandbox unless the reason above says otherwise.')) };
    }
    if (method === 'item/fileChange/requestApproval') {
      const request = params as { itemId: string; reason?: string | null };
      const item = this.items.get(request.itemId);
      const changes: FileUpdateChange[] = item?.type === 'fileChange' ? item.changes : [];
      return { decision: await this.ask(patchPrompt(changes, request.reason, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath)) };
    }
    throw new Error(`Tandem's editor client cannot answer ${method}`);
  }

  private async ask(prompt: Prompt): Promise<string> {
    const chosen = await vscode.window.showWarningMessage(prompt.message, { modal: true, detail: prompt.detail }, ...prompt.choices.map((c) => c.title));
    return decisionFor(prompt, chosen);
  }
}
