// The skills block of a thread's developer message, worded and ordered as codex words it, so a model
// trained on codex's prompts reads it the same way: the folders as short aliases, one line per skill the
// model may pick on its own, then how to use a skill. Only names, descriptions and paths go in; the model
// reads a SKILL.md when it decides to use it.
import type { SkillScope } from '../../protocol';
import type { SkillCatalog } from './discovery';

/** Longer descriptions are cut to this many characters, the last three being `...`. */
const MAX_DESCRIPTION_CHARS = 1024;

/** Bundled and admin skills first, then the repository's, then the user's. */
const PROMPT_RANK: Record<SkillScope, number> = { system: 0, admin: 1, repo: 2, user: 3 };

const INTRO =
  'A skill is a set of local instructions to follow that is stored in a `SKILL.md` file. Below is the list of skills that can be used. Each entry includes a name, description, and a short path that can be expanded into an absolute path using the skill roots table.';

const HOW_TO_USE = `### How to use skills
- Discovery: The list above is the skills available in this session (name + description + short path). Skill bodies live on disk at the listed paths after expanding the matching alias from \`### Skill roots\`.
- Trigger rules: If the user names a skill (with \`$SkillName\` or plain text) OR the task clearly matches a skill's description shown above, you must use that skill for that turn. Multiple mentions mean use them all. Do not carry skills across turns unless re-mentioned.
- Missing/blocked: If a named skill isn't in the list or the path can't be read, say so briefly and continue with the best fallback.
- How to use a skill (progressive disclosure):
  1) After deciding to use a skill, the main agent must expand the listed short \`path\` with the matching alias from \`### Skill roots\`, then open and read its \`SKILL.md\` completely before taking task actions. If a read is truncated or paginated, continue until EOF.
  2) When \`SKILL.md\` references relative paths (e.g., \`scripts/foo.py\`), resolve them relative to the directory containing that expanded \`SKILL.md\` first, and only consider other paths if needed.
  3) If \`SKILL.md\` points to extra folders such as \`references/\`, use its routing instructions to identify the files required for the task. The main agent must read each required instruction or reference file itself before acting on it. Do not delegate reading, summarizing, or interpreting skill instructions to a subagent. Subagents may still perform task work when the selected skill allows it.
  4) If \`scripts/\` exist, prefer running or patching them instead of retyping large code blocks.
  5) If \`assets/\` or templates exist, reuse them instead of recreating from scratch.
- Coordination and sequencing:
  - If multiple skills apply, choose the minimal set that covers the request and state the order you'll use them.
  - Announce which skill(s) you're using and why (one short line). If you skip an obvious skill, say why.
- Context hygiene:
  - Progressive disclosure applies to selecting relevant files, not partially reading a selected instruction file. Do not load unrelated references, scripts, or assets.
  - Avoid deep reference-chasing: prefer opening only files directly linked from \`SKILL.md\` unless you're blocked.
  - When variants exist (frameworks, providers, domains), pick only the relevant reference file(s) and note that choice.
- Safety and fallback: If a skill can't be applied cleanly (missing files, unclear instructions), state the issue, pick the next-best approach, and continue.`;

/** The `<skills_instructions>` text, or undefined when the model has no skill to pick. */
export function renderSkillsInstructions(catalog: SkillCatalog): string | undefined {
  // The catalog is in skills/list order; a stable sort keeps it within each scope.
  const shown = catalog.skills
    .filter((skill) => skill.implicitInvocation && skill.metadata.enabled)
    .sort((a, b) => PROMPT_RANK[a.metadata.scope] - PROMPT_RANK[b.metadata.scope]);
  if (shown.length === 0) return undefined;
  const aliases = new Map<string, string>();
  for (const root of catalog.roots) if (shown.some((skill) => skill.root === root.path)) aliases.set(root.path, `r${aliases.size}`);
  const rootLines = [...aliases].map(([root, alias]) => `- \`${alias}\` = \`${root}\``);
  const skillLines = shown.map((skill) => {
    const relative = skill.foundAt.slice(skill.root.length + 1).split('\\').join('/');
    return `- ${skill.metadata.name}: ${shorten(skill.metadata.description)} (file: ${aliases.get(skill.root)}/${relative})`;
  });
  return ['<skills_instructions>', '## Skills', INTRO, '### Skill roots', ...rootLines, '### Available skills', ...skillLines, HOW_TO_USE, '</skills_instructions>'].join('\n');
}

function shorten(description: string): string {
  const chars = [...description];
  return chars.length <= MAX_DESCRIPTION_CHARS ? description : chars.slice(0, MAX_DESCRIPTION_CHARS - 3).join('') + '...';
}
