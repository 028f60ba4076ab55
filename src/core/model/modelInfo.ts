// What Tandem knows about a model without asking the provider. The full catalog comes with `model/list`;
// until then, families known to reason get reasoning parameters and everything else gets none, so a
// local model that does not reason is not sent fields it would reject.

const REASONING_FAMILIES = /^(gpt-5|o\d|codex-)/i;

export function modelSupportsReasoning(model: string): boolean {
  return REASONING_FAMILIES.test(model);
}

/** Models that accept custom (freeform, grammar-constrained) tools get apply_patch in that form. */
export function modelSupportsFreeformTools(model: string): boolean {
  return /^gpt-5/i.test(model);
}
