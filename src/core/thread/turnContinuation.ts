// Continuing a turn that a host restart cut off (the extension host reloads with VS Code's window). The
// rollout holds what the turn had finished; a tool call it had started but not answered was given an
// output saying so when the thread was read back (see rollout/interrupted.ts), and the model is asked
// again from there.

/** Thrown into a running turn's abort signal when the server stops to be restarted, not to end the turn. */
export class TurnSuspended extends Error {
  constructor() {
    super('the server stopped for a restart; the turn continues in the next one');
  }
}
