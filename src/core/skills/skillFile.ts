// One skill: the name and description in a SKILL.md's YAML front matter, and what an `agents/openai.yaml`
// beside it says about showing it (its interface) and whether the model may pick it on its own. Limits and
// error messages are codex's, so a client shows the same problems for the same files.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { SkillInterface, SkillMetadata, SkillScope } from '../../protocol';
import { parseYaml, type YamlValue } from './yamlSubset';

export const SKILL_FILE = 'SKILL.md';
const MAX_NAME_CHARS = 64;

export interface Skill {
  metadata: SkillMetadata;
  /** The skills folder it was found under, and the SKILL.md's path there (`metadata.path` has links resolved). */
  root: string;
  foundAt: string;
  /** `policy.allow_implicit_invocation: false` keeps a skill out of the model's list (it can still be named). */
  implicitInvocation: boolean;
}

export class SkillFileError extends Error {}

export async function readSkill(file: string, root: string, scope: SkillScope): Promise<Skill> {
  let contents: string;
  try {
    contents = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new SkillFileError(`failed to read file: ${(error as Error).message}`);
  }
  const frontMatter = extractFrontMatter(contents);
  if (frontMatter === undefined) throw new SkillFileError('missing YAML frontmatter delimited by ---');
  let parsed: YamlValue;
  try {
    parsed = parseYaml(frontMatter);
  } catch (error) {
    throw new SkillFileError(`invalid YAML: ${(error as Error).message}`);
  }
  const fields = asMap(parsed);
  if (!fields) throw new SkillFileError('invalid YAML: the front matter is not a mapping');
  // A skill without a name is named after its folder.
  const name = singleLine(scalar(fields.name) ?? path.basename(path.dirname(file)));
  const description = singleLine(scalar(fields.description) ?? '');
  const extra = asMap(fields.metadata ?? null) ?? {};
  const short = singleLine(scalar(extra['short-description'] ?? extra.shortDescription ?? extra.short_description ?? null) ?? '');
  checkField(name, MAX_NAME_CHARS, 'name');
  // A long description is listed whole; the model's list shortens it.
  checkField(description, Infinity, 'description');
  const sidecar = await readSidecar(path.dirname(file));
  const metadata: SkillMetadata = {
    name,
    description,
    ...(short ? { shortDescription: short } : {}),
    ...(sidecar.interface ? { interface: sidecar.interface } : {}),
    path: await fs.realpath(file).catch(() => file),
    scope,
    enabled: true,
    pluginId: null,
  };
  return { metadata, root, foundAt: file, implicitInvocation: sidecar.implicitInvocation };
}

/** The lines between a first line `---` and the next `---`; undefined when there are none. */
export function extractFrontMatter(contents: string): string | undefined {
  const lines = contents.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines[0]?.trim() !== '---') return undefined;
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (end <= 1) return undefined;
  return lines.slice(1, end).join('\n');
}

function checkField(value: string, maxChars: number, field: string): void {
  if (value === '') throw new SkillFileError(`missing field \`${field}\``);
  if ([...value].length > maxChars) throw new SkillFileError(`invalid ${field}: exceeds maximum length of ${maxChars} characters`);
}

const singleLine = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');
const scalar = (value: YamlValue | undefined): string | null => (typeof value === 'string' ? value : null);
const asMap = (value: YamlValue): Record<string, YamlValue> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;

/** `agents/openai.yaml`; a missing or unreadable one changes nothing. */
async function readSidecar(skillDir: string): Promise<{ interface?: SkillInterface; implicitInvocation: boolean }> {
  let yaml: Record<string, YamlValue> | undefined;
  try {
    yaml = asMap(parseYaml(await fs.readFile(path.join(skillDir, 'agents', 'openai.yaml'), 'utf8')));
  } catch {
    return { implicitInvocation: true };
  }
  const policy = asMap(yaml?.policy ?? null);
  const implicitInvocation = scalar(policy?.allow_implicit_invocation)?.toLowerCase() !== 'false';
  const shown = asMap(yaml?.interface ?? null);
  if (!shown) return { implicitInvocation };
  const text = (key: string) => scalar(shown[key]);
  const color = text('brand_color');
  return {
    implicitInvocation,
    interface: {
      displayName: text('display_name'),
      shortDescription: text('short_description'),
      iconSmall: assetPath(skillDir, text('icon_small')),
      iconLarge: assetPath(skillDir, text('icon_large')),
      iconSmallUrl: null,
      iconLargeUrl: null,
      brandColor: color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : null,
      defaultPrompt: text('default_prompt'),
    },
  };
}

/** Icons must be relative paths inside the skill's `assets/` folder. */
function assetPath(skillDir: string, relative: string | null): string | null {
  if (!relative || path.isAbsolute(relative)) return null;
  const resolved = path.resolve(skillDir, relative);
  return resolved.startsWith(path.join(skillDir, 'assets') + path.sep) ? resolved : null;
}
