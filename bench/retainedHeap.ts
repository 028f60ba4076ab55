// Run by bench step (d) in a fresh node with --expose-gc: the heap a Tandem server keeps after N turns of one
// thread, in-process as in the extension host. Prints {"beforeMiB","afterMiB"} as its last line.
import { silentLogger } from '../src/core/log';
import { createTandemServer } from '../src/server/tandemServer';
import { startInProcess } from '../src/server/transports/inProcess';
import { FakeModelServer, textReply } from '../test/support/fakeModel';
import { makeTempHome } from '../test/support/tempHome';

function heapAfterGc(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  collect();
  collect();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function main(turns: number): Promise<void> {
  const model = await new FakeModelServer().start();
  const temp = makeTempHome({ baseUrl: model.baseUrl, model: 'gpt-5.5', extraConfig: 'approval_policy = "never"\nsandbox_mode = "danger-full-access"' });
  const beforeMiB = heapAfterGc();
  const server = createTandemServer({ logger: silentLogger, home: temp.home });
  const client = await startInProcess({ server, clientInfo: { name: 'bench', title: null, version: '1' } });
  const completed = new Set<string>();
  let wake: (() => void) | undefined;
  void (async () => {
    for await (const event of client.events()) {
      if (event.kind === 'notification' && event.method === 'turn/completed') {
        completed.add((event.params as { turn: { id: string } }).turn.id);
        wake?.();
      }
    }
  })();
  const thread = (await client.request('thread/start', { cwd: temp.workspace })) as { thread: { id: string } };
  for (let i = 0; i < turns; i++) {
    model.enqueue(textReply(`reply number ${i}, with a little text to keep`));
    const started = (await client.request('turn/start', { threadId: thread.thread.id, input: [{ type: 'text', text: `question ${i}` }] })) as { turn: { id: string } };
    while (!completed.has(started.turn.id)) await new Promise<void>((resolve) => (wake = resolve));
  }
  const afterMiB = heapAfterGc();
  console.log(JSON.stringify({ beforeMiB, afterMiB }));
  await client.shutdown();
  await model.stop();
}

main(Number(process.argv[2] ?? 100)).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
