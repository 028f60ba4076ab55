// A message that carries context from the editor, as the chat sends it: the model reads the delimited IDE
// context, then the user's words, then the image; the thread keeps the whole message (to show chips and
// to retry it), and its preview is the user's words alone, live and read back from the rollout.
import { strict as assert } from 'node:assert';
import { textReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { startThread } from '../support/session';

const CONTEXT = '# Context from my IDE setup:\n\n## Active file: src/notes.ts\n\n## Problems in the workspace:\nsrc/notes.ts:3:7 error Cannot find name x.\n\n## My request for Codex:\n';
const IMAGE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('integration: context from the editor', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  afterEach(() => fixture.close());

  it('sends the context before the words, and previews only the words', async () => {
    const { model, temp, server } = await fixture.boot();
    model.enqueue(textReply('Declare x.'));
    const threadId = await startThread(server.client, { cwd: temp.workspace });
    const input = [
      { type: 'text', text: CONTEXT, text_elements: [] },
      { type: 'text', text: 'why does this fail?', text_elements: [] },
      { type: 'image', url: IMAGE },
    ];
    const started = await server.client.request('turn/start', { threadId, input });
    assert.equal(started.error, undefined);
    await server.client.waitFor((m) => m.method === 'turn/completed' && m.params.turn.id === started.result.turn.id);

    const user = (model.lastTurnRequest().body.input as Array<{ role?: string; content?: Array<{ type: string; text?: string; image_url?: string }> }>).filter((item) => item.role === 'user').at(-1)!;
    assert.deepEqual(user.content, [
      { type: 'input_text', text: CONTEXT },
      { type: 'input_text', text: 'why does this fail?' },
      { type: 'input_text', text: '<image name=[Image #1]>' },
      { type: 'input_image', image_url: IMAGE, detail: 'high' },
      { type: 'input_text', text: '</image>' },
    ]);

    const message = server.client.notifications('item/completed').find((m) => m.params.item.type === 'userMessage')!;
    assert.deepEqual(message.params.item.content.map((c: { type: string; text?: string }) => c.text ?? c.type), [CONTEXT, 'why does this fail?', 'image']);
    const listed = await server.client.request('thread/list', {});
    assert.equal(listed.result.data.find((t: { id: string }) => t.id === threadId).preview, 'why does this fail?');

    // Read back from the rollout by a server that never saw the turn.
    const again = await fixture.restart();
    const read = await again.client.request('thread/read', { threadId, includeTurns: true });
    assert.equal(read.result.thread.preview, 'why does this fail?');
    assert.equal(read.result.thread.turns[0].items[0].content[0].text, CONTEXT, 'the whole message is kept');
  });
});
