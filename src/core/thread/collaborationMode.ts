// Collaboration modes: Default (the agent does the work) and Plan (it explores and proposes a plan, and
// changes nothing). The model hears the mode it is in as a developer message when the mode changes, and in
// the initial context of a thread that starts (or is compacted) in Plan mode.
import type { ResponseItem } from '../model/responseItems';

export type CollaborationModeKind = 'default' | 'plan';

const PLAN_MODE = `You are in Plan mode: the user wants a plan before anything changes.
- Explore as much as you need: read files, search, and run commands that only read.
- Do not edit files, apply patches, or run commands that change the workspace, the system or anything remote.
- When a choice would change the plan and the code cannot settle it, ask the user.
- Finish with a concrete, numbered plan: the files to change, what changes in each, and how to check the result.
Stay in Plan mode until the user switches back to Default mode.`;

const DEFAULT_MODE = `Plan mode has ended: you are in Default mode. Carry out the user's requests, making the changes they need.`;

/** The text that tells the model which mode it is in, tagged so the thread's history can be read back. */
export function collaborationModeText(mode: CollaborationModeKind): string {
  return `<collaboration_mode mode="${mode}">\n${mode === 'plan' ? PLAN_MODE : DEFAULT_MODE}\n</collaboration_mode>`;
}

export function collaborationModeMessage(mode: CollaborationModeKind): ResponseItem {
  return { type: 'message', role: 'developer', content: [{ type: 'input_text', text: collaborationModeText(mode) }] };
}

const TAG = /<collaboration_mode mode="(plan|default)">/;

/** The mode the model was last told of in this history; Default when it never was. */
export function modeToldInHistory(history: readonly ResponseItem[]): CollaborationModeKind {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const item = history[i]!;
    if (item.type !== 'message' || item.role !== 'developer') continue;
    for (const part of [...item.content].reverse()) {
      const match = 'text' in part && typeof part.text === 'string' ? TAG.exec(part.text) : null;
      if (match) return match[1] as CollaborationModeKind;
    }
  }
  return 'default';
}
