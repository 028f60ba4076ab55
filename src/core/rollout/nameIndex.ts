// Thread names live in an append-only index ($TANDEM_HOME/session_index.jsonl, last entry wins), so listing
// does not have to read whole rollouts to find a rename.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

const indexPath = (home: string) => path.join(home, 'session_index.jsonl');

export async function appendThreadName(home: string, threadId: string, name: string | null): Promise<void> {
  await fs.mkdir(home, { recursive: true });
  const line = JSON.stringify({ id: threadId, thread_name: name, updated_at: new Date().toISOString() }) + '\n';
  await fs.appendFile(indexPath(home), line, { mode: 0o600 });
}

export async function readThreadNames(home: string): Promise<Map<string, string | null>> {
  const names = new Map<string, string | null>();
  let text: string;
  try {
    text = await fs.readFile(indexPath(home), 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { id?: unknown; thread_name?: unknown };
      if (typeof entry.id === 'string') names.set(entry.id, typeof entry.thread_name === 'string' ? entry.thread_name : null);
    } catch {
      // a torn line from a crash: the entries before and after it still count
    }
  }
  return names;
}
