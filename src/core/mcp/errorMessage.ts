// The message of anything thrown, for errors shown to clients and the model.
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
