// Config is read again at each turn, so edits apply without a restart; parsing and checking it against the
// schema is what costs (milliseconds a turn), and the text rarely changes. A few results are kept by
// their input and handed out as copies, so no caller can change what the next one gets.

/** The last `limit` results by key; the oldest goes first. */
export class BoundedMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly limit: number) {}

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value === undefined ? undefined : structuredClone(value);
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, structuredClone(value));
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** A key for parsed config values: JSON, with TOML dates kept apart from strings that read the same. */
export function valuesKey(values: unknown): string {
  return JSON.stringify(values, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    return original instanceof Date ? { '\u0000date': value } : value;
  });
}
