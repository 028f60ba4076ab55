// A benchmark run is a list of steps. Each has its own generous time limit and closes what it started
// however it ends, and a step that fails becomes a row marked failed: the other steps still run.
export interface Scale {
  /** Small sizes and one round, to prove every step still works (`npm run bench -- --quick`); its numbers mean nothing. */
  quick: boolean;
  /** Only the steps whose name contains this (`--step <text>`). */
  step?: string;
}

export interface Row {
  name: string;
  tandem: number;
  codex: number;
  unit: string;
  target?: string;
  /** Extra Tandem figures (for example in-process). */
  note?: string;
  /** Why the step producing this row failed; its numbers are NaN. */
  failed?: string;
}

/** What a step started (servers, fake models, folders), closed when it ends. */
export class Cleanup {
  private readonly closers: Array<() => Promise<unknown> | unknown> = [];

  add<T>(value: T, close: (value: T) => Promise<unknown> | unknown): T {
    this.closers.push(() => close(value));
    return value;
  }

  async run(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch {
        // already closed, or gone with its process
      }
    }
  }
}

export type StepResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Runs one step under a time limit; a failure or a timeout is returned, never thrown. */
export async function runStep<T>(name: string, limitMs: number, body: (cleanup: Cleanup) => Promise<T>): Promise<StepResult<T>> {
  const cleanup = new Cleanup();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${Math.round(limitMs / 1000)} s`)), limitMs);
  });
  const started = performance.now();
  try {
    const value = await Promise.race([body(cleanup), expired]);
    console.log(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { ok: true, value };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`  ${name}: FAILED — ${message}`);
    return { ok: false, error: message };
  } finally {
    clearTimeout(timer);
    await cleanup.run();
  }
}

/** The rows of a step, or one failed row named after it; none when `only` leaves the step out. */
export async function rowsOf(name: string, limitMs: number, body: (cleanup: Cleanup) => Promise<Row[]>, only?: string): Promise<Row[]> {
  if (only && !name.includes(only)) return [];
  const result = await runStep(name, limitMs, body);
  return result.ok ? result.value : [{ name, tandem: NaN, codex: NaN, unit: '', failed: result.error }];
}
