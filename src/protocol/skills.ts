// skills/list: the SKILL.md skills a thread in each folder can use, as codex discovers them.
import { z } from 'zod';
import { lazy } from './lazy';
import { request } from './method';

export const SkillScope = lazy(() => z.enum(['user', 'repo', 'system', 'admin']));
export type SkillScope = z.infer<typeof SkillScope>;

/** What `agents/openai.yaml` beside a SKILL.md says about showing the skill. */
export const SkillInterface = lazy(() => z.object({
  displayName: z.string().nullable(),
  shortDescription: z.string().nullable(),
  iconSmall: z.string().nullable(),
  iconLarge: z.string().nullable(),
  iconSmallUrl: z.string().nullable(),
  iconLargeUrl: z.string().nullable(),
  brandColor: z.string().nullable(),
  defaultPrompt: z.string().nullable(),
}));
export type SkillInterface = z.infer<typeof SkillInterface>;

export const SkillMetadata = lazy(() => z.object({
  name: z.string(),
  description: z.string(),
  shortDescription: z.string().optional(),
  interface: SkillInterface.optional(),
  path: z.string(),
  scope: SkillScope,
  enabled: z.boolean(),
  pluginId: z.string().nullable(),
}));
export type SkillMetadata = z.infer<typeof SkillMetadata>;

export const SkillErrorInfo = lazy(() => z.object({ path: z.string(), message: z.string() }));
export type SkillErrorInfo = z.infer<typeof SkillErrorInfo>;

export const SkillsListEntry = lazy(() => z.object({ cwd: z.string(), skills: z.array(SkillMetadata), errors: z.array(SkillErrorInfo) }));
export type SkillsListEntry = z.infer<typeof SkillsListEntry>;

export const SkillsList = request(
  'skills/list',
  () => z.object({ cwds: z.array(z.string()).optional(), forceReload: z.boolean().optional() }),
  () => z.object({ data: z.array(SkillsListEntry) }),
);
