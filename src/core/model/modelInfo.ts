// What Tandem knows about a model without asking the provider. The built-in catalog's models are known;
// for others, families known to reason get reasoning parameters and everything else gets none, so a
// local model that does not reason is not sent fields it would reject.
import { OPENAI_MODELS } from './openaiCatalog';

const BUILT_IN = new Set(OPENAI_MODELS.map((m) => m.id));

/** gpt-5 and later (gpt-5.5, gpt-6.1-sol, gpt-10…), the o-series and codex's own. */
const REASONING_FAMILIES = /^(gpt-([5-9]|\d{2,})(\b|[.-])|o\d|codex-)/i;

export function modelSupportsReasoning(model: string): boolean {
  return BUILT_IN.has(model) || REASONING_FAMILIES.test(model);
}

/** Models that accept custom (freeform, grammar-constrained) tools get apply_patch in that form. */
export function modelSupportsFreeformTools(model: string): boolean {
  return BUILT_IN.has(model) || /^gpt-([5-9]|\d{2,})(\b|[.-])/i.test(model);
}

/**
 * Families known to take images: OpenAI's vision models, and the vision models local servers commonly
 * serve. Anything else is declared text-only, so clients do not offer attachments it would reject.
 */
const IMAGE_FAMILIES = /^(gpt-4o|gpt-4\.1|gpt-([5-9]|\d{2,})(\b|[.-])|(o1|o3)(?!-mini)(\b|-)|o4(\b|-)|claude-|qwen[\d.]*-?vl|gemini-|gemma-?3|llava|bakllava|pixtral|moondream|minicpm-v|llama-?3\.2-vision|llama-?4)|[-_:]vl\b|-vl-|vision/i;

export function modelAcceptsImages(model: string): boolean {
  return BUILT_IN.has(model) || IMAGE_FAMILIES.test(model.replace(/^.*\//, ''));
}

/**
 * Models that load MCP tools on demand: offered a `tool_search` tool instead of the servers' tools. In
 * codex's catalog these are the current built-in models; older and unknown models get the tools upfront.
 */
export function modelSearchesTools(model: string): boolean {
  return BUILT_IN.has(model);
}
