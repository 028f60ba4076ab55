import { strict as assert } from 'node:assert';
import type { ModelInfo } from '../../../../src/protocol';
import { CONTEXT_WINDOWS, DEFAULT_MODEL, OPENAI_CATALOG, catalogFor, customProviderList, knownModel, providerModels, unknownModel } from '../../../../src/core/model/catalog';
import { modelAcceptsImages, modelSupportsFreeformTools, modelSupportsReasoning } from '../../../../src/core/model/modelInfo';
import { BUILTIN_PROVIDERS } from '../../../../src/core/model/provider';
import { ModelInfo as ModelInfoSchema } from '../../../../src/protocol/model';

const ollama = BUILTIN_PROVIDERS.ollama!;
const ids = (models: ModelInfo[]) => models.map((m) => m.id);
const efforts = (m: ModelInfo) => m.supportedReasoningEfforts.map((e) => e.reasoningEffort);

/** A fetch that answers every request with this status and JSON body, or throws. */
function fetchAnswering(status: number | Error, body: unknown = {}): typeof fetch {
  return (async () => {
    if (status instanceof Error) throw status;
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('core/model/catalog', () => {
  it('has one default, the first visible model, which is also the default model threads run', () => {
    assert.equal(DEFAULT_MODEL, 'gpt-6.1-sol');
    assert.deepEqual(ids(OPENAI_CATALOG.filter((m) => m.isDefault)), [DEFAULT_MODEL]);
    assert.equal(OPENAI_CATALOG.find((m) => !m.hidden)!.id, DEFAULT_MODEL);
    for (const m of OPENAI_CATALOG) {
      ModelInfoSchema.parse(m);
      assert.deepEqual(m.inputModalities, ['text', 'image'], `${m.id} takes images`);
      assert.ok(efforts(m).includes(m.defaultReasoningEffort), `${m.id}'s default effort is one it supports`);
      assert.equal(m.contextWindow, CONTEXT_WINDOWS[m.id]);
      if (m.upgrade) assert.ok(knownModel(m.upgrade), `${m.id} upgrades to a listed model`);
    }
    assert.equal(CONTEXT_WINDOWS['gpt-6.1-terra'], 500_000);
    assert.equal(CONTEXT_WINDOWS['gpt-5.4'], 272_000, 'earlier models keep their windows');
  });

  it('lists the OpenAI catalog without hidden models unless asked, and appends a configured model it lacks', () => {
    const visible = catalogFor(false);
    assert.ok(visible.every((m) => !m.hidden));
    assert.ok(catalogFor(true).some((m) => m.id === 'codex-auto-review' && m.hidden));
    assert.deepEqual(ids(catalogFor(false, 'gpt-5.5')), ids(visible), 'a catalog model is not listed twice');
    const withOwn = catalogFor(false, 'o3');
    assert.deepEqual(ids(withOwn), [...ids(visible), 'o3']);
    assert.equal(withOwn.at(-1)!.isDefault, false, 'the catalog default stays, as in codex');
    assert.equal(catalogFor(false, 'gpt-daybreak-red-latest').length, visible.length, 'a hidden catalog model is not appended');
  });

  it('falls back to the configured model, marked default, when a provider lists nothing', () => {
    for (const listed of [null, []]) {
      const models = customProviderList(listed, 'llama3', 'Ollama', false);
      assert.deepEqual(ids(models), ['llama3']);
      assert.equal(models[0]!.isDefault, true);
      assert.deepEqual(models[0]!.inputModalities, ['text']);
      assert.deepEqual(efforts(models[0]!), []);
      ModelInfoSchema.parse(models[0]);
    }
    const known = customProviderList(null, 'gpt-6-luna', 'Proxy', false);
    assert.deepEqual(
      { ...known[0]!, description: '' },
      { ...knownModel('gpt-6-luna')!, description: '', isDefault: true },
      'a catalog model keeps its capabilities behind another provider',
    );
  });

  it('marks the configured model default in a provider list, and puts it first when the list lacks it', () => {
    const listed = [unknownModel('a', ''), unknownModel('b', ''), { ...unknownModel('secret', ''), hidden: true }];
    const hasIt = customProviderList(listed, 'b', 'P', false);
    assert.deepEqual(ids(hasIt), ['a', 'b']);
    assert.deepEqual(hasIt.map((m) => m.isDefault), [false, true]);
    const lacksIt = customProviderList(listed, 'c', 'P', true);
    assert.deepEqual(ids(lacksIt), ['c', 'a', 'b', 'secret']);
    assert.deepEqual(lacksIt.map((m) => m.isDefault), [true, false, false, false]);
    const fromCatalog = customProviderList([{ ...knownModel(DEFAULT_MODEL)! }], 'x', 'P', false);
    assert.deepEqual(fromCatalog.map((m) => m.isDefault), [true, false], "the catalog's default is not the provider's");
  });

  it('declares images and efforts only for families known to have them', () => {
    for (const id of ['gpt-4o', 'gpt-4.1-mini', 'gpt-5', 'o3', 'llava:13b', 'llama3.2-vision', 'qwen2.5-vl:7b', 'gemma3:4b', 'claude-sonnet-4', 'meta-llama/llama-4-scout']) assert.ok(modelAcceptsImages(id), id);
    for (const id of ['llama3', 'mistral', 'qwen3:8b', 'gpt-oss-20b', 'o3-mini', 'deepseek-r1']) assert.ok(!modelAcceptsImages(id), id);
    for (const id of ['gpt-5', 'gpt-5.5', 'gpt-6.1-sol', 'gpt-daybreak-blue-latest', 'o4-mini', 'codex-mini']) assert.ok(modelSupportsReasoning(id), id);
    for (const id of ['gpt-4o', 'gpt-oss-20b', 'llama3']) assert.ok(!modelSupportsReasoning(id), id);
    assert.ok(modelSupportsFreeformTools('gpt-6-astra') && modelSupportsFreeformTools('codex-auto-review') && !modelSupportsFreeformTools('gpt-4.1'));
    assert.deepEqual(efforts(unknownModel('gpt-5-mini', '')), ['low', 'medium', 'high']);
    assert.deepEqual(unknownModel('gpt-5-mini', '').inputModalities, ['text', 'image']);
  });

  it("reads a provider's /models in OpenAI, Ollama and codex form", async () => {
    const openai = await providerModels(ollama, {}, fetchAnswering(200, { object: 'list', data: [{ id: 'llama3' }, { id: 'gpt-5.5' }, { id: 7 }, { id: 'llama3' }] }));
    assert.deepEqual(ids(openai), ['llama3', 'gpt-5.5'], 'ids only, once each');
    assert.deepEqual(openai[1], knownModel('gpt-5.5'));
    assert.equal(openai[0]!.description, 'Served by Ollama');

    const tags = await providerModels(ollama, {}, fetchAnswering(200, { models: [{ name: 'llava:7b' }, { name: 'qwen3' }] }));
    assert.deepEqual(tags.map((m) => [m.id, m.inputModalities]), [['llava:7b', ['text', 'image']], ['qwen3', ['text']]]);

    const declared = await providerModels(
      ollama,
      {},
      fetchAnswering(200, {
        models: [
          {
            slug: 'my-model',
            display_name: 'My Model',
            description: 'Mine',
            visibility: 'list',
            default_reasoning_level: 'high',
            supported_reasoning_levels: [{ effort: 'medium', description: 'm' }, { effort: 'high' }],
            input_modalities: ['text', 'image'],
            context_window: 128_000,
          },
          { slug: 'internal', visibility: 'hide' },
        ],
      }),
    );
    assert.deepEqual(
      declared.map((m) => [m.id, m.displayName, m.description, m.hidden, efforts(m), m.defaultReasoningEffort, m.inputModalities, m.contextWindow]),
      [
        ['my-model', 'My Model', 'Mine', false, ['medium', 'high'], 'high', ['text', 'image'], 128_000],
        ['internal', 'internal', 'Served by Ollama', true, [], 'medium', ['text'], null],
      ],
    );
    assert.equal(declared[0]!.supportedReasoningEfforts[1]!.description, 'More reasoning for complex problems', 'a missing description is filled in');
    assert.deepEqual(await providerModels(ollama, {}, fetchAnswering(200, { data: [] })), []);
  });

  it('says why a /models call failed', async () => {
    await assert.rejects(providerModels(ollama, {}, fetchAnswering(404)), /could not list the models of "Ollama": http:\/\/localhost:11434\/v1\/models answered 404/);
    await assert.rejects(providerModels(ollama, {}, fetchAnswering(new Error('ECONNREFUSED'))), /could not list the models of "Ollama" at .*: ECONNREFUSED/);
  });
});
