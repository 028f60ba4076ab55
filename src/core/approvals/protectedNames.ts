/**
 * Folders whose files make programs run outside the sandbox later — git hooks and config (core.fsmonitor
 * runs on the next `git status`), agent config (the approval policy), editor tasks and settings (a task
 * that runs when the folder opens) — so they are never written unasked.
 */
export const PROTECTED_NAMES = ['.git', '.tandem', '.codex', '.vscode'] as const;
