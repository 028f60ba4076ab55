/** Folders that steer tools outside the sandbox (git hooks and config, agent config): never written unasked. */
export const PROTECTED_NAMES = ['.git', '.tandem', '.codex'] as const;
