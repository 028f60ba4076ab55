// The second thread of a file walk (bundled on its own as dist/fileWalkerWorker.js): it asks the main thread
// for work, walks what it is given, and hands part of it back when the main thread runs out (walkTasks.ts).
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { WalkScope } from './directoryListing';
import { IgnoreRules } from './ignoreRules';
import { FilesWriter, LevelCodec, TaskRun, taskMessage, type FromWorker, type TaskMessage, type ToWorker, type WalkerSetup } from './walkTasks';

const setup = workerData as WalkerSetup;
const { port } = setup;
const scope: WalkScope = { root: setup.root, global: setup.global === null ? undefined : new IgnoreRules(setup.global) };
const codec = new LevelCodec(1);
/** The ids of the tasks this thread hands back: odd, the main thread's being even. */
let nextId = 1;
/** The main thread has asked for part of this thread's task. */
let wanted = false;

const send = (message: FromWorker) => port.postMessage(message);

/** Files are sent in parcels of about this many, so the main thread takes them in while the walk goes on. */
const PARCEL = 2_000;

function run(message: TaskMessage): void {
  const task = new TaskRun(message.id, codec.decode(message), setup.maxFiles);
  const out = new FilesWriter();
  while (!task.done) {
    // Polling costs well under a microsecond, against tens for listing a directory.
    for (let received; (received = receiveMessageOnPort(port)); ) if ((received.message as ToWorker).kind === 'steal') wanted = true;
    if (wanted && task.canGive()) {
      wanted = false;
      nextId += 2;
      send({ kind: 'task', task: taskMessage(nextId, task.give(nextId), codec) });
    }
    const names = task.next(scope);
    if (names.length === 0) continue;
    out.add(task.prefix, names);
    if (out.size >= PARCEL) send({ kind: 'files', files: out.take(task.id) });
  }
  if (out.size > 0) send({ kind: 'files', files: out.take(task.id) });
  send({ kind: 'done', id: task.id, stolen: task.stolen });
}

/** Also answers a pending `steal`: there is nothing left to give. */
function idle(): void {
  wanted = false;
  send({ kind: 'idle' });
  awaitTask();
}

function awaitTask(): void {
  port.once('message', (message: ToWorker) => {
    if (message.kind !== 'task') return awaitTask(); // a `steal` that crossed `idle` on the way needs no answer
    run(message.task);
    idle();
  });
}

idle();
