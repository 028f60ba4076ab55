// An MCP server's form question read as fields the host can ask one by one: the elicitation schema is a
// flat object of strings (with a format or lengths), numbers (with a range), booleans and enums. Here the
// schema is read, typed text is checked, and the answers become the content sent back. Free of the vscode
// module so the mapping is tested on its own.
import * as l10n from '@vscode/l10n';
import { z } from 'zod';

interface FieldBase {
  name: string;
  /** The field's title, else its name. */
  label: string;
  description?: string;
  required: boolean;
}
export type StringFormat = 'email' | 'uri' | 'date' | 'date-time';
export type FormField =
  | (FieldBase & { kind: 'string'; format?: StringFormat; minLength?: number; maxLength?: number; default?: string })
  | (FieldBase & { kind: 'number'; integer: boolean; minimum?: number; maximum?: number; default?: number })
  | (FieldBase & { kind: 'boolean'; default?: boolean })
  | (FieldBase & { kind: 'enum'; options: Array<{ value: string; title: string }>; default?: string });

/** More fields than anyone answers one box at a time: a bound against a runaway schema. */
export const MAX_FORM_FIELDS = 50;

const text = z.string().max(2_000).optional();
const StringProperty = z.looseObject({
  type: z.literal('string'),
  title: text,
  description: text,
  format: z.enum(['email', 'uri', 'date', 'date-time']).optional(),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().nonnegative().optional(),
  default: z.string().optional(),
});
const NumberProperty = z.looseObject({
  type: z.enum(['number', 'integer']),
  title: text,
  description: text,
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  default: z.number().optional(),
});
const BooleanProperty = z.looseObject({ type: z.literal('boolean'), title: text, description: text, default: z.boolean().optional() });
const EnumProperty = z.looseObject({
  type: z.literal('string').optional(),
  title: text,
  description: text,
  enum: z.array(z.string()).min(1),
  enumNames: z.array(z.string()).optional(),
  default: z.string().optional(),
});
const TitledEnumProperty = z.looseObject({
  type: z.literal('string').optional(),
  title: text,
  description: text,
  oneOf: z.array(z.looseObject({ const: z.string(), title: z.string().optional() })).min(1),
  default: z.string().optional(),
});
const RequestedSchema = z.looseObject({
  type: z.literal('object').optional(),
  properties: z.record(z.string(), z.unknown()).default({}),
  required: z.array(z.string()).optional(),
});

/** The fields to ask, in the schema's order, or why the form cannot be asked. */
export function formFields(schema: unknown): { fields: FormField[] } | { error: string } {
  const parsed = RequestedSchema.safeParse(schema);
  if (!parsed.success) return { error: l10n.t('its form is not an object schema') };
  const entries = Object.entries(parsed.data.properties);
  if (entries.length > MAX_FORM_FIELDS) return { error: l10n.t('its form has {0} fields; Tandem asks for at most {1}', entries.length, MAX_FORM_FIELDS) };
  const required = new Set(parsed.data.required ?? []);
  const fields: FormField[] = [];
  for (const [name, property] of entries) {
    const field = fieldOf(name, property, required.has(name));
    if (!field) return { error: l10n.t('its field “{0}” is of a kind Tandem cannot ask for', name) };
    fields.push(field);
  }
  return { fields };
}

function fieldOf(name: string, property: unknown, required: boolean): FormField | undefined {
  const base = (p: { title?: string; description?: string }): FieldBase => ({
    name,
    label: p.title?.trim() || name,
    ...(p.description?.trim() ? { description: p.description.trim() } : {}),
    required,
  });
  const titled = TitledEnumProperty.safeParse(property);
  if (titled.success) {
    const options = titled.data.oneOf.map((o) => ({ value: o.const, title: o.title?.trim() || o.const }));
    return { ...base(titled.data), kind: 'enum', options, ...defaultIn(options, titled.data.default) };
  }
  const listed = EnumProperty.safeParse(property);
  if (listed.success) {
    const names = listed.data.enumNames;
    const options = listed.data.enum.map((value, i) => ({ value, title: names?.[i]?.trim() || value }));
    return { ...base(listed.data), kind: 'enum', options, ...defaultIn(options, listed.data.default) };
  }
  const string = StringProperty.safeParse(property);
  if (string.success) {
    const { format, minLength, maxLength, default: initial } = string.data;
    return { ...base(string.data), kind: 'string', ...defined({ format, minLength, maxLength, default: initial }) };
  }
  const number = NumberProperty.safeParse(property);
  if (number.success) {
    const { minimum, maximum, default: initial } = number.data;
    return { ...base(number.data), kind: 'number', integer: number.data.type === 'integer', ...defined({ minimum, maximum, default: initial }) };
  }
  const boolean = BooleanProperty.safeParse(property);
  if (boolean.success) return { ...base(boolean.data), kind: 'boolean', ...defined({ default: boolean.data.default }) };
  return undefined;
}

/** A default is kept only when it is one of the options. */
function defaultIn(options: ReadonlyArray<{ value: string }>, value: string | undefined): { default?: string } {
  return value !== undefined && options.some((o) => o.value === value) ? { default: value } : {};
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const FORMAT_CHECKS: Record<StringFormat, z.ZodType<string>> = {
  email: z.email(),
  uri: z.url(),
  date: z.iso.date(),
  'date-time': z.iso.datetime({ offset: true }),
};

/** What is wrong with the text typed for a string or number field, or undefined when it will do. */
export function validateField(field: FormField, typed: string): string | undefined {
  if (field.kind !== 'string' && field.kind !== 'number') return undefined;
  const value = field.kind === 'number' ? typed.trim() : typed;
  if (value === '') return field.required ? l10n.t('An answer is required.') : undefined;
  if (field.kind === 'number') {
    // Number('') and Number('0x10') are numbers too; only decimal notation is taken.
    const number = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(number)) return field.integer ? l10n.t('Enter a whole number.') : l10n.t('Enter a number.');
    if (field.integer && !Number.isInteger(number)) return l10n.t('Enter a whole number.');
    if (field.minimum !== undefined && number < field.minimum) return l10n.t('Enter {0} or more.', field.minimum);
    if (field.maximum !== undefined && number > field.maximum) return l10n.t('Enter {0} or less.', field.maximum);
    return undefined;
  }
  const length = [...value].length;
  if (field.minLength !== undefined && length < field.minLength) return l10n.t('Enter at least {0} characters.', field.minLength);
  if (field.maxLength !== undefined && length > field.maxLength) return l10n.t('Enter at most {0} characters.', field.maxLength);
  if (field.format && !FORMAT_CHECKS[field.format].safeParse(value).success) return formatHint(field.format);
  return undefined;
}

function formatHint(format: StringFormat): string {
  switch (format) {
    case 'email':
      return l10n.t('Enter an email address, such as name@example.com.');
    case 'uri':
      return l10n.t('Enter a URL, such as https://example.com.');
    case 'date':
      return l10n.t('Enter a date as YYYY-MM-DD.');
    case 'date-time':
      return l10n.t('Enter a date and time as YYYY-MM-DDTHH:MM:SSZ.');
  }
}

/** An example of what a string field takes, for the input box's placeholder. */
export function placeholderOf(field: FormField): string | undefined {
  if (field.kind === 'string' && field.format === 'email') return 'name@example.com';
  if (field.kind === 'string' && field.format === 'uri') return 'https://example.com';
  if (field.kind === 'string' && field.format === 'date') return 'YYYY-MM-DD';
  if (field.kind === 'string' && field.format === 'date-time') return 'YYYY-MM-DDTHH:MM:SSZ';
  if (field.kind === 'number' && (field.minimum !== undefined || field.maximum !== undefined)) {
    if (field.minimum !== undefined && field.maximum !== undefined) return l10n.t('{0} to {1}', field.minimum, field.maximum);
    return field.minimum !== undefined ? l10n.t('{0} or more', field.minimum) : l10n.t('{0} or less', field.maximum!);
  }
  return undefined;
}

/** The value sent for text that passed `validateField`; undefined leaves an optional field out. */
export function typedValue(field: FormField, typed: string): string | number | undefined {
  if (field.kind === 'number') return typed.trim() === '' ? undefined : Number(typed.trim());
  return typed === '' && !field.required ? undefined : typed;
}

/** A choice of an enum or boolean field; `value` undefined leaves an optional field out. */
export interface FieldChoice {
  label: string;
  description?: string;
  value: string | boolean | undefined;
}

/** The choices of an enum or boolean field, the default first (the one Enter takes) and marked. */
export function fieldChoices(field: FormField): FieldChoice[] {
  let choices: FieldChoice[];
  if (field.kind === 'boolean') choices = [{ label: l10n.t('Yes'), value: true }, { label: l10n.t('No'), value: false }];
  else if (field.kind === 'enum') choices = field.options.map((o) => ({ label: o.title, ...(o.title !== o.value ? { description: o.value } : {}), value: o.value }));
  else return [];
  const initial = field.default;
  const index = initial === undefined ? -1 : choices.findIndex((c) => c.value === initial);
  if (index !== -1) {
    const [chosen] = choices.splice(index, 1);
    choices.unshift({ ...chosen!, description: chosen!.description ? l10n.t('{0} · default', chosen!.description) : l10n.t('default') });
  }
  if (!field.required) choices.push({ label: l10n.t('No answer'), description: l10n.t('leave this field empty'), value: undefined });
  return choices;
}
