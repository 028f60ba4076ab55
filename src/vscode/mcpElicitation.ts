// An MCP server's own question (`mcpServer/elicitation/request` without the tool-approval marker), asked
// with native input: a form becomes one input box or quick pick per field, a page to open a modal that
// names it. Escape at any step cancels the whole question. Tool-call approvals arriving on the same method
// go to the ApprovalCenter. Questions are asked one at a time (a new quick input would close the one
// showing) and only once the user has stopped typing (an input box takes the keyboard).
import * as vscode from 'vscode';
import { McpServerElicitation, type McpElicitationAnswer, type ServerNotification } from '../protocol';
import type { Logger } from '../core/log';
import type { ApprovalCenter } from './approvals';
import type { ServerRequestRouter } from './serverEvents';
import { isMcpToolApproval, type McpElicitationParams } from './mcpApproval';
import { fieldChoices, formFields, placeholderOf, typedValue, validateField, type FieldChoice, type FormField } from './mcpElicitationForm';

type FormParams = Extract<McpElicitationParams, { mode: 'form' }>;
type UrlParams = Extract<McpElicitationParams, { mode: 'url' }>;

/** Schemes a server may ask the user to open: a `command:` or `file:` link would act inside VS Code. */
const OPENABLE_SCHEMES = new Set(['http:', 'https:']);

const answer = (action: McpElicitationAnswer['action'], content: unknown = null): McpElicitationAnswer => ({ action, content, _meta: null });
/** A step the user escaped. */
const ESCAPED = Symbol('escaped');

interface OpenQuestion {
  requestId: number;
  threadId: string;
  turnId: string | null;
  cancel: vscode.CancellationTokenSource;
}

export class McpElicitations implements vscode.Disposable {
  private readonly open = new Set<OpenQuestion>();
  /** The question being asked; the next waits for it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly approvals: Pick<ApprovalCenter, 'answerMcpTool' | 'whenIdle'>,
    private readonly logger: Logger,
  ) {}

  /** Routes `mcpServer/elicitation/request`: tool approvals to the approval center, the rest here. */
  register(router: ServerRequestRouter): void {
    router.on(McpServerElicitation, (id, params) => (isMcpToolApproval(params) ? this.approvals.answerMcpTool(id, params) : this.answer(id, params)));
  }

  /** A question the server stopped waiting for (answered elsewhere, its turn ended) closes. */
  observe(notification: ServerNotification): void {
    for (const question of this.open) {
      if (notification.method === 'serverRequest/resolved' && notification.params.requestId === question.requestId) question.cancel.cancel();
      if (notification.method === 'turn/completed' && notification.params.threadId === question.threadId && notification.params.turn.id === question.turnId) question.cancel.cancel();
    }
  }

  answer(requestId: number, params: McpElicitationParams): Promise<McpElicitationAnswer> {
    const question: OpenQuestion = { requestId, threadId: params.threadId, turnId: params.turnId, cancel: new vscode.CancellationTokenSource() };
    this.open.add(question);
    const asked = this.queue.then(() => this.ask(params, question.cancel.token));
    this.queue = asked.catch(() => undefined);
    return asked
      .catch((error: unknown) => {
        this.logger.warn('asking an MCP server question failed; cancelling it', { server: params.serverName, error: String(error) });
        return answer('cancel');
      })
      .finally(() => {
        this.open.delete(question);
        question.cancel.dispose();
      });
  }

  dispose(): void {
    for (const question of this.open) question.cancel.cancel();
  }

  private async ask(params: McpElicitationParams, token: vscode.CancellationToken): Promise<McpElicitationAnswer> {
    if (token.isCancellationRequested) return answer('cancel');
    await new Promise<void>((resolve) => {
      this.approvals.whenIdle(resolve);
      token.onCancellationRequested(() => resolve());
    });
    if (token.isCancellationRequested) return answer('cancel');
    return params.mode === 'url' ? this.askToOpen(params) : this.askForm(params, token);
  }

  private async askToOpen(params: UrlParams): Promise<McpElicitationAnswer> {
    let url: URL | undefined;
    try {
      url = new URL(params.url);
    } catch {
      url = undefined;
    }
    if (!url || !OPENABLE_SCHEMES.has(url.protocol)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: the {0} MCP server asked you to open {1}, which is not a web address; Tandem declined.', params.serverName, params.url.slice(0, 200)));
      return answer('decline');
    }
    const open = vscode.l10n.t('Open');
    const decline = vscode.l10n.t('Decline');
    const chosen = await vscode.window.showWarningMessage(
      vscode.l10n.t('The {0} MCP server asks you to open {1}', params.serverName, url.href),
      { modal: true, detail: params.message },
      open,
      decline,
    );
    if (chosen === open) {
      await vscode.env.openExternal(vscode.Uri.parse(url.href, true));
      return answer('accept');
    }
    return answer(chosen === decline ? 'decline' : 'cancel');
  }

  private async askForm(params: FormParams, token: vscode.CancellationToken): Promise<McpElicitationAnswer> {
    const form = formFields(params.requestedSchema);
    if ('error' in form) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem cannot show the question of the {0} MCP server: {1}.', params.serverName, form.error));
      return answer('cancel');
    }
    if (form.fields.length === 0) return this.askConfirmation(params);
    const content: Record<string, unknown> = {};
    for (const [index, field] of form.fields.entries()) {
      const title =
        form.fields.length > 1
          ? vscode.l10n.t('{0}: {1} ({2} of {3})', params.serverName, params.message, index + 1, form.fields.length)
          : vscode.l10n.t('{0}: {1}', params.serverName, params.message);
      const value = await askField(field, title, token);
      if (value === ESCAPED || token.isCancellationRequested) return answer('cancel');
      if (value !== undefined) content[field.name] = value;
    }
    return answer('accept', content);
  }

  /** A form with no fields only asks to go ahead. */
  private async askConfirmation(params: FormParams): Promise<McpElicitationAnswer> {
    const accept = vscode.l10n.t('Accept');
    const decline = vscode.l10n.t('Decline');
    const chosen = await vscode.window.showInformationMessage(vscode.l10n.t('The {0} MCP server asks: {1}', params.serverName, params.message), { modal: true }, accept, decline);
    return chosen === accept ? answer('accept', {}) : answer(chosen === decline ? 'decline' : 'cancel');
  }
}

/** One field's answer: its value, undefined (an optional field left empty) or ESCAPED. */
async function askField(field: FormField, title: string, token: vscode.CancellationToken): Promise<string | number | boolean | undefined | typeof ESCAPED> {
  const prompt = field.description ? vscode.l10n.t('{0}: {1}', field.label, field.description) : field.label;
  if (field.kind === 'boolean' || field.kind === 'enum') {
    const chosen = await vscode.window.showQuickPick<FieldChoice & vscode.QuickPickItem>(fieldChoices(field), { title, placeHolder: prompt, ignoreFocusOut: true }, token);
    return chosen === undefined ? ESCAPED : chosen.value;
  }
  const initial = field.default === undefined ? undefined : String(field.default);
  const typed = await vscode.window.showInputBox(
    {
      title,
      prompt: field.required ? prompt : vscode.l10n.t('{0} (optional)', prompt),
      placeHolder: placeholderOf(field),
      value: initial,
      ignoreFocusOut: true,
      validateInput: (text) => validateField(field, text),
    },
    token,
  );
  return typed === undefined ? ESCAPED : typedValue(field, typed);
}
