// Steered input cuts a streaming reply short, as codex does: the request ends at once, what the reply had
// finished stays in the history, the item still streaming is dropped, and the model is sampled again with
// the steered input. A reply that already asked for a tool is not cut: each call's output must follow it.

/** Why a sampling request was ended: input was steered in while the reply streamed. */
export class SteerCutIn extends Error {
  constructor() {
    super('the reply was cut short by steered input');
    this.name = 'SteerCutIn';
  }
}

/** One sampling attempt's request signal: aborted by the turn's own signal, or by a steer while cuttable. */
export class ReplyCutter {
  private readonly controller = new AbortController();
  private toolsStarted = false;
  private readonly follow: () => void;

  constructor(private readonly turnSignal: AbortSignal) {
    this.follow = () => this.controller.abort(turnSignal.reason);
    if (turnSignal.aborted) this.follow();
    else turnSignal.addEventListener('abort', this.follow, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The reply asked for a tool: from here on a steer waits for the next request. */
  lock(): void {
    this.toolsStarted = true;
  }

  cut(): void {
    if (!this.toolsStarted && !this.controller.signal.aborted) this.controller.abort(new SteerCutIn());
  }

  get wasCut(): boolean {
    return this.controller.signal.reason instanceof SteerCutIn;
  }

  dispose(): void {
    this.turnSignal.removeEventListener('abort', this.follow);
  }
}
