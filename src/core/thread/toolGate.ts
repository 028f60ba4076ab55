// Parallel tools run together; an exclusive tool (apply_patch, write_stdin, …) waits for the ones before
// it and runs alone. Order of arrival is kept.

export class ToolGate {
  private tail: Promise<void> = Promise.resolve();
  private readers: Promise<unknown>[] = [];

  run<T>(parallel: boolean, task: () => Promise<T>): Promise<T> {
    if (parallel) {
      const result = this.tail.then(task);
      this.readers.push(result.catch(() => undefined));
      return result;
    }
    const before = Promise.all([this.tail, ...this.readers]);
    this.readers = [];
    const result = before.then(task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
