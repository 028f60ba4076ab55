// Tools offered to the model and the path a call takes: look up the handler by name, run it, and turn
// its result (or failure) into the output item the model reads next.
import { asToolCall, outputFor, TOOL_SEARCH, type CallItem, type FunctionOutput, type ResponseItem, type ToolCallItem } from '../model/responseItems';
import type { AskForApproval, NotificationDescriptor, ParamsOf, RequestDescriptor, SandboxPolicy, ThreadItem, TurnPlanStep } from '../../protocol';
import type { PatchIntentFile } from '../rollout/records';
import type { AutoReviewSubject, AutoReviewVerdict } from '../approvals/autoReviewer';
import type { SessionApprovals } from '../approvals/sessionApprovals';
import type { TurnDiffTracker } from './turnDiff';

export interface ToolCallContext {
  readonly threadId: string;
  readonly turnId: string;
  readonly cwd: string;
  /** Tandem's home (config, credentials, rollouts): never written without asking. */
  readonly home: string;
  readonly signal: AbortSignal;
  readonly approvalPolicy: AskForApproval;
  readonly sandbox: SandboxPolicy;
  /** Every patch asks, even inside the writable roots (Tandem's `review_file_changes`). */
  readonly reviewFileChanges?: boolean;
  /** Set when approval questions go to the automatic reviewer instead of the client (`approvalsReviewer`). */
  readonly autoReview?: (subject: AutoReviewSubject) => Promise<AutoReviewVerdict>;
  /** "For this session" answers, kept by the thread. */
  readonly sessionApprovals: SessionApprovals;
  readonly turnDiff: TurnDiffTracker;
  /** Stops the whole turn (an approval answered with `cancel`). */
  interruptTurn(): void;
  /** Starts a thread item for this call: recorded and made durable, then announced (`item/started`). */
  startItem(item: ThreadItem): Promise<void>;
  /** While a client of the thread is behind, a promise that settles when it caught up: output producers wait on it. */
  clientsBehind?(): Promise<void> | undefined;
  /** Sends a thread-scoped notification (for example output deltas). */
  notify<D extends NotificationDescriptor>(descriptor: D, params: ParamsOf<D>): void;
  /** Completes the item (`item/completed`); its record reaches the disk right after. */
  completeItem(item: ThreadItem): void;
  /** Makes everything recorded so far durable (fsync): called before a tool acts, so a crash cannot hide it. */
  writeAhead(): Promise<void>;
  /** Before the turn changes files: records them as they are, so the turn can be undone (none: no checkpoints). */
  readonly checkpoint?: {
    /** A call that changes files is on its way (the model is still writing it): the workspace may be recorded now. */
    prepare(): void;
    /** Before a patch writes these files (absolute paths). */
    beforePatch(files: readonly string[]): Promise<void>;
    /** Before a command that may write runs. */
    beforeCommand(): Promise<void>;
  };
  /** Records what a patch is about to write, so a crash mid-write can be told apart from one before it. */
  recordPatchIntent(itemId: string, files: PatchIntentFile[]): void;
  /** Adds an item to the model's history after this round's tool outputs, before the next request. */
  addContext(item: ResponseItem): void;
  /** Publishes and records the model's step list (`turn/plan/updated`). */
  publishPlan(explanation: string | null, plan: TurnPlanStep[]): void;
  /** Marks the thread as waiting on an approval until the returned release is called (once is enough). */
  holdApproval(): () => void;
  /** Asks the client (approvals, dynamic tools); `hold` is an approval hold taken earlier, released when answered. */
  requestFromClient<D extends RequestDescriptor>(descriptor: D, params: ParamsOf<D>, options?: { timeoutMs?: number; hold?: () => void }): Promise<unknown>;
}

export interface ToolResult {
  output: FunctionOutput;
  success: boolean;
  /** What a tool search found: the tool specs its output item carries. */
  tools?: Record<string, unknown>[];
}

export interface ToolHandler {
  /** The tool's name, or for a namespace the namespace's. */
  readonly name: string;
  /** A group of tools: the model calls its members by their own names with `namespace` set to `name`. */
  readonly namespace?: boolean;
  /** The tool spec JSON sent to the model (`{type: "function", …}` or `{type: "custom", …}`). */
  readonly spec: Record<string, unknown>;
  /** Runs alongside other parallel tools; exclusive tools run one at a time. */
  readonly parallel: boolean;
  /** Callable but not offered upfront: the model finds it with a tool search. */
  readonly deferred?: boolean;
  /** Changes files whatever its arguments say (a patch): the turn's checkpoint can start when the call is announced. */
  readonly writesFiles?: boolean;
  /**
   * Acts only after `startItem`, whose flush makes the call's own record durable too: dispatch leaves the
   * write-ahead to it rather than making the record durable once more just before.
   */
  readonly startsDurably?: boolean;
  handle(call: ToolCallItem, context: ToolCallContext): Promise<ToolResult>;
}

export class ToolRegistry {
  private readonly handlers = new Map<string, ToolHandler>();
  /** Namespaces have names of their own: one may share a name with a tool. */
  private readonly namespaces = new Map<string, ToolHandler>();
  private readonly ordered: ToolHandler[] = [];

  constructor(handlers: Iterable<ToolHandler> = []) {
    for (const handler of handlers) this.register(handler);
  }

  register(handler: ToolHandler): void {
    const names = handler.namespace ? this.namespaces : this.handlers;
    if (names.has(handler.name)) throw new Error(`${handler.namespace ? 'namespace' : 'tool'} registered twice: ${handler.name}`);
    names.set(handler.name, handler);
    this.ordered.push(handler);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  /** A tool by name (not a namespace's member: see `forCall`). */
  get(name: string): ToolHandler | undefined {
    return this.handlers.get(name);
  }

  /** The handler a call goes to: its namespace's when it names one, else the tool of its name. */
  forCall(call: CallItem): ToolHandler | undefined {
    if (call.type === 'tool_search_call') return this.handlers.get(TOOL_SEARCH);
    return this.handlerOf(call.name, call.type === 'function_call' ? call.namespace : undefined);
  }

  /** Whether a call to this tool (or namespace member) changes files whatever its arguments say. */
  writesFiles(name: string, namespace?: string): boolean {
    return this.handlerOf(name, namespace)?.writesFiles === true;
  }

  private handlerOf(name: string, namespace: string | undefined): ToolHandler | undefined {
    return namespace !== undefined ? this.namespaces.get(namespace) : this.handlers.get(name);
  }

  specs(): Record<string, unknown>[] {
    return this.ordered.filter((h) => !h.deferred).map((h) => h.spec);
  }

  /** The namespaces the model must search for (not offered upfront), by name, with their descriptions. */
  deferredNamespaces(): Map<string, string> {
    const deferred = this.ordered.filter((h) => h.deferred && h.namespace);
    return new Map(deferred.map((h) => [h.name, typeof h.spec.description === 'string' ? h.spec.description : '']));
  }

  /** Runs one call and returns its output item; an unknown tool or a thrown error becomes an output the model can read. */
  async dispatch(model: CallItem, context: ToolCallContext): Promise<ResponseItem> {
    const handler = this.forCall(model);
    const call = asToolCall(model);
    let result: ToolResult;
    if (!handler) {
      const named = call.type === 'function_call' && call.namespace !== undefined ? `${call.namespace}.${call.name}` : call.name;
      result = { output: `unsupported call: ${named} is not a tool offered in this thread`, success: false };
    } else {
      try {
        result = await handler.handle(call, context);
      } catch (error) {
        result = context.signal.aborted
          ? { output: 'aborted', success: false }
          : { output: `tool ${call.name} failed: ${error instanceof Error ? error.message : String(error)}`, success: false };
      }
    }
    return outputFor(model, result.output, result.tools);
  }
}

/** Parses a function call's JSON arguments, with an error message meant for the model. */
export function parseArguments(call: ToolCallItem): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (call.type === 'custom_tool_call') return { ok: true, value: { input: call.input } };
  try {
    const value = JSON.parse(call.arguments || '{}') as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'arguments must be a JSON object' };
    return { ok: true, value: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, message: `failed to parse function arguments: ${(error as Error).message}` };
  }
}
