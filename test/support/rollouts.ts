// Writes rollouts straight to disk, through the real recorder, for listing tests and benchmarks.
import { RolloutRecorder } from '../../src/core/rollout/recorder';
import { rolloutPath } from '../../src/core/rollout/paths';
import type { SessionMeta } from '../../src/core/rollout/records';
import { uuidv7 } from '../../src/core/ids';

export async function writeRollout(
  home: string,
  options: { createdAt: Date; preview: string; provider?: string; cwd?: string; id?: string },
): Promise<{ id: string; path: string }> {
  const id = options.id ?? uuidv7(options.createdAt.getTime());
  const file = rolloutPath(home, options.createdAt, id);
  const recorder = new RolloutRecorder(file);
  const meta: SessionMeta = {
    id,
    forked_from_id: null,
    timestamp: options.createdAt.toISOString(),
    cwd: options.cwd ?? '/work/project',
    originator: 'tandem_test',
    cli_version: '0.1.0',
    source: 'vscode',
    model_provider: options.provider ?? 'fake',
    model: 'test-model',
    reasoning_effort: null,
    base_instructions: { text: 'base' },
    git: null,
  };
  recorder.record('session_meta', meta, options.createdAt);
  const turnId = uuidv7(options.createdAt.getTime());
  recorder.record('event_msg', { type: 'task_started', turn_id: turnId, started_at: Math.floor(options.createdAt.getTime() / 1000) });
  recorder.record('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: options.preview }] });
  // What codex lists a thread by; Tandem ignores it. Lets benchmarks feed the same files to both.
  recorder.record('event_msg', { type: 'user_message', message: options.preview, images: [], local_images: [], text_elements: [] });
  recorder.record('event_msg', { type: 'item_completed', turn_id: turnId, item: { type: 'userMessage', id: uuidv7(), clientId: null, content: [{ type: 'text', text: options.preview }] } });
  recorder.record('event_msg', { type: 'task_complete', turn_id: turnId, status: 'completed', error: null, completed_at: 0, duration_ms: 0 });
  await recorder.close();
  return { id, path: file };
}
