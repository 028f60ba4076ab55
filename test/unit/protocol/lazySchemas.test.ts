import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { lazy } from '../../../src/protocol/lazy';
import { notification, request } from '../../../src/protocol/method';
import { Initialize, ThreadStart, ThreadStartParams, UserInput } from '../../../src/protocol';

const ROOT = path.resolve(__dirname, '../../..');
const PROTOCOL = path.join(ROOT, 'src', 'protocol');

/** Counts the zod schemas built from now on (zod calls its post-processor once per schema it constructs). */
function countBuilds(): { readonly count: number; stop(): void } {
  const config = z.core.globalConfig;
  const previous = config.postProcessor;
  let count = 0;
  config.postProcessor = (inst) => {
    count += 1;
    previous?.(inst);
  };
  return {
    get count() {
      return count;
    },
    stop: () => (config.postProcessor = previous),
  };
}

describe('protocol: schemas built on first use', () => {
  const eager = () =>
    z.object({
      id: z.string().min(1),
      kind: z.enum(['a', 'b']),
      size: z.number().int().nullish(),
    });

  it('builds a lazy schema once, when first used, and it then behaves as the schema itself', () => {
    let builds = 0;
    const Lazy = lazy(() => {
      builds += 1;
      return eager();
    });
    assert.equal(builds, 0, 'declaring it builds nothing');
    const twin = eager();
    for (const value of [{ id: 'x', kind: 'a' }, { id: '', kind: 'c', size: 1.5 }, null, { id: 'y', kind: 'b', size: null, extra: 1 }]) {
      assert.deepEqual(Lazy.safeParse(value), twin.safeParse(value));
    }
    assert.equal(builds, 1);
    assert.equal(Object.getPrototypeOf(Lazy), Object.getPrototypeOf(twin), 'nothing stands between it and the schema once built');
    assert.ok(Lazy instanceof z.ZodObject);
    assert.deepEqual(Object.keys(Lazy.shape), ['id', 'kind', 'size']);
    assert.deepEqual(z.toJSONSchema(Lazy), z.toJSONSchema(twin));
    const wrapped = z.object({ items: z.array(Lazy), extended: Lazy.extend({ more: z.boolean() }).optional() });
    assert.equal(wrapped.safeParse({ items: [{ id: 'x', kind: 'a' }], extended: { id: 'y', kind: 'b', more: true } }).success, true);
    assert.deepEqual(
      wrapped.safeParse({ items: [{ id: 'x', kind: 'z' }] }).error?.issues.map((issue) => issue.path),
      [['items', 0, 'kind']],
    );
    assert.equal(builds, 1, 'built once, however it is used');
  });

  it('tries a build that failed again on the next use', () => {
    let attempts = 0;
    const Flaky = lazy(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('not yet');
      return z.string();
    });
    assert.throws(() => Flaky.parse('x'), /not yet/);
    assert.equal(Flaky.parse('x'), 'x');
    assert.equal(attempts, 2);
  });

  it('says so when a schema refers to itself while it is built', () => {
    const Loop: z.ZodType = lazy(() => z.object({ self: Loop.optional() }));
    assert.throws(() => Loop.parse({}), /refers to itself while it is being built; use z\.lazy\(\)/);
  });

  it('builds a descriptor’s params and result when each is first read, once', () => {
    const built: string[] = [];
    const Ping = request(
      'test/ping',
      () => (built.push('params'), z.object({ at: z.number() })),
      () => (built.push('result'), z.object({ pong: z.literal(true) })),
    );
    const Pinged = notification('test/pinged', () => (built.push('notification'), z.object({ at: z.number() })));
    assert.deepEqual([Ping.kind, Ping.method, Pinged.kind, Pinged.method], ['request', 'test/ping', 'notification', 'test/pinged']);
    assert.deepEqual(built, []);
    assert.equal(Ping.params.safeParse({ at: 1 }).success, true);
    assert.equal(Ping.params.safeParse({ at: 'one' }).success, false);
    assert.deepEqual(built, ['params']);
    assert.equal(Ping.result.parse({ pong: true }).pong, true);
    assert.equal(Pinged.params, Pinged.params);
    assert.deepEqual(built, ['params', 'result', 'notification']);
  });

  it('keeps the protocol’s validation as it was: same results and messages', () => {
    assert.equal(ThreadStart.params, ThreadStartParams);
    const bad = Initialize.params.safeParse({ clientInfo: { name: 'x' } });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues.map((issue) => [issue.path.join('.'), issue.code]), [['clientInfo.version', 'invalid_type']]);
    assert.deepEqual(UserInput.parse({ type: 'text', text: 'hi' }), { type: 'text', text: 'hi' });
    assert.throws(() => UserInput.parse({ type: 'video' }), /Invalid discriminator value\. Expected 'text' \| 'image'/);
  });

  it('counts schemas as zod builds them (the check below relies on it)', () => {
    const builds = countBuilds();
    try {
      z.object({ a: z.string() });
      assert.equal(builds.count, 2);
    } finally {
      builds.stop();
    }
  });

  it('builds no schema while the protocol loads, none to create a server, and few to answer initialize', function () {
    this.timeout(60_000);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-lazy-schemas-'));
    const files = fs
      .readdirSync(PROTOCOL)
      .filter((name) => name.endsWith('.ts'))
      // The index last: it loads every other module, which would then all be counted as its own.
      .sort((a, b) => Number(a === 'index.ts') - Number(b === 'index.ts'))
      .map((name) => path.join(PROTOCOL, name));
    // A fresh node: this process has long built what the tests before it used.
    const script = `
const { z } = require('zod');
let built = 0;
z.core.globalConfig.postProcessor = () => { built += 1; };
const atLoad = {};
for (const file of ${JSON.stringify(files)}) {
  const before = built;
  require(file);
  if (built > before) atLoad[require('node:path').basename(file)] = built - before;
}
const { createTandemServer } = require(${JSON.stringify(path.join(ROOT, 'src', 'server', 'tandemServer.ts'))});
const before = built;
const server = createTandemServer({ logger: { debug() {}, info() {}, warn() {}, error() {} }, home: ${JSON.stringify(home)} });
const toCreate = built - before;
let toAnswer;
const connection = server.openConnection({ send: (message) => { toAnswer ??= { count: built - before - toCreate, message }; return true; }, close() {} }, 'test');
server.receive(connection, { id: 1, method: 'initialize', params: { clientInfo: { name: 'test', version: '1' } } });
process.stdout.write(JSON.stringify({ atLoad, toCreate, toAnswer }));
process.exit(0);
`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const { atLoad, toCreate, toAnswer } = JSON.parse(out) as { atLoad: Record<string, number>; toCreate: number; toAnswer: { count: number; message: { result?: unknown } } };
    assert.deepEqual(atLoad, {}, 'these protocol modules (or modules they import) build schemas at load; wrap them in lazy() (see src/protocol/lazy.ts)');
    assert.equal(toCreate, 0, 'creating the server builds schemas');
    assert.ok(toAnswer.message.result, 'initialize is answered');
    // The envelope's, initialize's params and nothing else (38 today).
    assert.ok(toAnswer.count < 60, `answering initialize built ${toAnswer.count} schemas`);
  });
});
