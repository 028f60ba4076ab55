// The OpenAI provider's model/list, against the pinned codex's own: the same ids in the same order, the
// same default, hidden flags, reasoning efforts, input modalities, service tiers and upgrades. Neither
// server is signed in, so neither fetches a remote catalog (codex does only for a ChatGPT sign-in).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codexBinary } from '../support/codexServer';
import { spawnJsonl, spawnStdioServer, type SpawnedServer } from '../support/protocolClient';

interface Listed {
  id: string;
  model: string;
  displayName: string;
  isDefault: boolean;
  hidden: boolean;
  supportedReasoningEfforts: Array<{ reasoningEffort: string }>;
  defaultReasoningEffort: string;
  inputModalities: string[];
  upgrade: string | null;
  upgradeInfo: { model: string } | null;
  availabilityNux: unknown;
  modelSpecialty: string | null;
  multiAgentVersion: string | null;
  additionalSpeedTiers: string[];
  serviceTiers: Array<{ id: string; name: string }>;
  defaultServiceTier: string | null;
  availableAccessPrograms: unknown;
}

/** What must match; descriptions are Tandem's own words. */
function comparable(m: Listed) {
  return {
    id: m.id,
    model: m.model,
    displayName: m.displayName,
    isDefault: m.isDefault,
    hidden: m.hidden,
    efforts: m.supportedReasoningEfforts.map((e) => e.reasoningEffort),
    defaultReasoningEffort: m.defaultReasoningEffort,
    inputModalities: m.inputModalities,
    upgrade: m.upgrade,
    upgradeTo: m.upgradeInfo?.model ?? null,
    hasNux: m.availabilityNux !== null,
    modelSpecialty: m.modelSpecialty,
    multiAgentVersion: m.multiAgentVersion,
    additionalSpeedTiers: m.additionalSpeedTiers,
    serviceTiers: m.serviceTiers.map((t) => `${t.id}:${t.name}`),
    defaultServiceTier: m.defaultServiceTier,
    availableAccessPrograms: m.availableAccessPrograms,
  };
}

// No model and no provider set: the openai provider and its default model. The base URL points nowhere,
// so nothing can reach the network.
const CONFIG = 'check_for_update_on_startup = false\nopenai_base_url = "http://127.0.0.1:9/v1"\n';
const NO_KEYS = { OPENAI_API_KEY: '', CODEX_API_KEY: '' };

async function listOf(server: SpawnedServer, cwd: string) {
  await server.client.initialize('model_catalog_test');
  const visible = await server.client.request('model/list', {});
  const all = await server.client.request('model/list', { includeHidden: true });
  const thread = await server.client.request('thread/start', { cwd });
  assert.equal(visible.error, undefined, JSON.stringify(visible.error));
  assert.equal(all.error, undefined, JSON.stringify(all.error));
  return {
    visible: (visible.result.data as Listed[]).map(comparable),
    all: (all.result.data as Listed[]).map(comparable),
    nextCursor: [visible.result.nextCursor ?? null, all.result.nextCursor ?? null],
    threadModel: thread.result?.model,
  };
}

describe('integration: the OpenAI model catalog matches codex', function () {
  this.timeout(60_000);
  const servers: SpawnedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('lists the same models, defaults and capabilities as codex app-server, with and without hidden ones', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-models-'));
    const [codexHome, tandemHome, workspace] = ['codex', 'tandem', 'workspace'].map((d) => path.join(root, d));
    for (const dir of [codexHome!, tandemHome!, workspace!]) fs.mkdirSync(dir);
    fs.writeFileSync(path.join(codexHome!, 'config.toml'), CONFIG);
    fs.writeFileSync(path.join(tandemHome!, 'config.toml'), '');

    const codex = spawnJsonl(codexBinary(), ['app-server'], { env: { CODEX_HOME: codexHome, RUST_LOG: 'error', NO_COLOR: '1', ...NO_KEYS }, cwd: workspace });
    servers.push(codex);
    const tandem = spawnStdioServer({ env: { TANDEM_HOME: tandemHome, ...NO_KEYS } });
    servers.push(tandem);
    const [expected, actual] = await Promise.all([listOf(codex, workspace!), listOf(tandem, workspace!)]);

    assert.ok(expected.visible.length > 0 && expected.all.length > expected.visible.length, 'codex lists visible and hidden models');
    assert.deepEqual(actual.visible, expected.visible);
    assert.deepEqual(actual.all, expected.all);
    assert.deepEqual(actual.nextCursor, expected.nextCursor);
    assert.equal(actual.threadModel, expected.threadModel, 'a thread with no model configured runs the same default');
    assert.equal(expected.visible.filter((m) => m.isDefault).length, 1);
  });
});
