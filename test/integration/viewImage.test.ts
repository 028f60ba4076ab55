// view_image over a spawned server: images reach the model as image input; a missing file, a file that is
// not an image and anything in Tandem's home (settings, credentials) are refused with the reason.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { textReply, toolCallReply } from '../support/fakeModel';
import { Fixture } from '../support/fixture';
import { runTurn, startThread } from '../support/session';

const DOT_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('integration: view_image', function () {
  this.timeout(30_000);
  const fixture = new Fixture();
  beforeEach(() => fixture.boot());
  afterEach(() => fixture.close());

  const outputs = () =>
    new Map(
      (fixture.model.lastTurnRequest().body.input as Array<{ type: string; call_id?: string; output?: unknown }>)
        .filter((i) => i.type === 'function_call_output')
        .map((i) => [i.call_id, i.output]),
    );

  it('sends an image in the workspace, and refuses what is not one, is missing, or lies in the home', async () => {
    const workspace = fixture.temp.workspace;
    fs.mkdirSync(path.join(workspace, 'docs'));
    fs.writeFileSync(path.join(workspace, 'docs', 'shot.png'), DOT_PNG);
    fs.writeFileSync(path.join(workspace, 'fake.png'), 'text, not an image');
    fs.writeFileSync(path.join(fixture.temp.home, 'logo.png'), DOT_PNG);
    const threadId = await startThread(fixture.server.client, { cwd: workspace });
    fixture.model.enqueue(
      toolCallReply('view_image', { path: 'docs/shot.png' }, 'ok'),
      toolCallReply('view_image', { path: 'fake.png' }, 'fake'),
      toolCallReply('view_image', { path: 'missing.png' }, 'missing'),
      toolCallReply('view_image', { path: path.join(fixture.temp.home, 'logo.png') }, 'home'),
      textReply('done'),
    );
    await runTurn(fixture.server.client, threadId, 'look');
    const out = outputs();
    assert.deepEqual(out.get('ok'), [{ type: 'input_image', image_url: `data:image/png;base64,${DOT_PNG.toString('base64')}`, detail: 'original' }]);
    assert.equal(out.get('fake'), 'unable to process image: invalid or unsupported image data');
    assert.match(String(out.get('missing')), /^unable to locate image at `.*missing\.png`/);
    assert.match(String(out.get('home')), /are not shown to the model/);
    const items = fixture.server.client.received.filter((m) => m.method === 'item/completed' && m.params.item.type === 'imageView').map((m) => m.params.item);
    assert.deepEqual(items, [{ type: 'imageView', id: 'ok', path: path.join(workspace, 'docs', 'shot.png') }], 'only the image shown has an item');
    const read = await fixture.server.client.request('thread/read', { threadId, includeTurns: true });
    assert.ok(read.result.thread.turns[0].items.some((i: { type: string }) => i.type === 'imageView'), 'the item is recorded');
  });
});
