// Validates server messages against the JSON Schema that `codex app-server generate-json-schema` prints
// (the pinned @openai/codex dev dependency): responses against their method's response schema,
// notifications and server requests against theirs.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { REPO_ROOT, type WireMessage } from './protocolClient';
import { codexBinary } from './codexServer';
import { TANDEM_REQUESTS } from '../../src/protocol/checkpoints';

type Json = Record<string, unknown>;

export interface Violation {
  kind: 'response' | 'notification' | 'serverRequest';
  method: string;
  problem: string;
}

function codexVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', '@openai', 'codex', 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Generates the schema once per Codex version into the temp folder and returns that folder. With
 * `experimental`, the schema that also has the methods codex serves only to `experimentalApi` clients.
 */
export function schemaDir(experimental = false): string {
  const dir = path.join(os.tmpdir(), `tandem-codex-schema-${codexVersion()}${experimental ? '-experimental' : ''}`);
  if (!fs.existsSync(path.join(dir, 'codex_app_server_protocol.v2.schemas.json'))) {
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-codex-schema-'));
    execFileSync(codexBinary(), ['app-server', 'generate-json-schema', '--out', staging, ...(experimental ? ['--experimental'] : [])], {
      stdio: 'pipe',
      env: { ...process.env, CODEX_HOME: staging },
    });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  }
  return dir;
}

export class SchemaConformance {
  private readonly ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly notificationDefs = new Map<string, string>();
  private readonly serverRequestDefs = new Map<string, string>();
  private readonly responseDefs = new Map<string, string>();
  readonly clientMethods: string[] = [];
  readonly violations: Violation[] = [];
  readonly seen = { responses: new Set<string>(), notifications: new Set<string>(), serverRequests: new Set<string>() };

  private readonly bundleDefinitions: Set<string>;
  private readonly definitions: Json;
  /** The experimental schema's definitions: codex sends some of their fields to every client. */
  private readonly experimentalDefinitions: Json;

  /** Methods only the experimental schema has, validated against its definitions. */
  private readonly experimentalMethods = new Set<string>();

  constructor(
    private readonly dir = schemaDir(),
    private readonly experimentalDir = schemaDir(true),
  ) {
    const bundle = JSON.parse(fs.readFileSync(path.join(dir, 'codex_app_server_protocol.v2.schemas.json'), 'utf8')) as { definitions: Json };
    const initialize = JSON.parse(fs.readFileSync(path.join(dir, 'v1', 'InitializeResponse.json'), 'utf8')) as Json;
    // Server requests and some notifications define their params outside the v2 bundle.
    const extra = ['ServerRequest.json', 'ServerNotification.json'].map(
      (file) => (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { definitions?: Json }).definitions ?? {},
    );
    const definitions = { ...extra[0], ...extra[1], ...bundle.definitions, InitializeResponse: initialize };
    this.definitions = definitions;
    this.bundleDefinitions = new Set(Object.keys(definitions));
    this.ajv.addSchema({ $id: 'codex', definitions });
    for (const [file, target] of [
      ['ServerNotification.json', this.notificationDefs],
      ['ServerRequest.json', this.serverRequestDefs],
    ] as const) {
      for (const variant of readVariants(path.join(dir, file))) target.set(variant.method, variant.def);
    }
    for (const variant of readVariants(path.join(dir, 'ClientRequest.json'), true)) {
      this.clientMethods.push(variant.method);
      this.responseDefs.set(variant.method, RESPONSE_EXCEPTIONS[variant.method] ?? variant.def.replace(/Params$/, 'Response'));
    }
    const experimental = JSON.parse(fs.readFileSync(path.join(experimentalDir, 'codex_app_server_protocol.v2.schemas.json'), 'utf8')) as { definitions: Json };
    this.ajv.addSchema({ $id: 'codex-experimental', definitions: experimental.definitions });
    const experimentalExtra = ['ServerRequest.json', 'ServerNotification.json'].map(
      (file) => (JSON.parse(fs.readFileSync(path.join(experimentalDir, file), 'utf8')) as { definitions?: Json }).definitions ?? {},
    );
    this.experimentalDefinitions = { ...experimentalExtra[0], ...experimentalExtra[1], ...experimental.definitions };
    for (const variant of readVariants(path.join(experimentalDir, 'ClientRequest.json'), true)) {
      if (this.responseDefs.has(variant.method)) continue;
      this.experimentalMethods.add(variant.method);
      this.responseDefs.set(variant.method, RESPONSE_EXCEPTIONS[variant.method] ?? variant.def.replace(/Params$/, 'Response'));
    }
  }

  /** Checks one message the server sent; `requestMethod` is the method of the request a response answers. */
  check(message: WireMessage, requestMethod: string | undefined): void {
    if (message.method !== undefined && message.id !== undefined) {
      this.seen.serverRequests.add(message.method);
      this.validate('serverRequest', message.method, this.serverRequestDefs.get(message.method), message.params);
    } else if (message.method !== undefined) {
      this.seen.notifications.add(message.method);
      this.validate('notification', message.method, this.notificationDefs.get(message.method), message.params);
    } else if (message.result !== undefined && requestMethod?.startsWith('tandem/')) {
      // Tandem's own methods are not codex's: their answers must match Tandem's descriptors instead.
      this.seen.responses.add(requestMethod);
      const descriptor = TANDEM_REQUESTS.find((d) => d.method === requestMethod);
      const parsed = descriptor?.result.safeParse(message.result);
      if (!descriptor) this.violations.push({ kind: 'response', method: requestMethod, problem: 'not a Tandem method' });
      else if (!parsed!.success) this.violations.push({ kind: 'response', method: requestMethod, problem: parsed!.error.message.slice(0, 500) });
    } else if (message.result !== undefined && requestMethod) {
      this.seen.responses.add(requestMethod);
      this.validate('response', requestMethod, this.responseDefs.get(requestMethod), message.result);
    }
  }

  /**
   * The top-level property names of a notification's or server request's params in codex's schema, the
   * experimental fields included (codex 0.169 sends `availableDecisions` to every client), and those it requires.
   */
  paramsShape(kind: 'notification' | 'serverRequest', method: string): { properties: string[]; required: string[] } | undefined {
    const def = (kind === 'notification' ? this.notificationDefs : this.serverRequestDefs).get(method);
    if (!def) return undefined;
    const standalone = path.join(this.dir, `${def}.json`);
    const schema = (this.definitions[def] ?? (fs.existsSync(standalone) ? JSON.parse(fs.readFileSync(standalone, 'utf8')) : undefined)) as
      | { properties?: Json; required?: string[] }
      | undefined;
    if (!schema) return undefined;
    const wider = this.experimentalDefinitions[def] as { properties?: Json } | undefined;
    const properties = new Set([...Object.keys(schema.properties ?? {}), ...Object.keys(wider?.properties ?? {})]);
    return { properties: [...properties].sort(), required: [...(schema.required ?? [])].sort() };
  }

  private validate(kind: Violation['kind'], method: string, def: string | undefined, value: unknown): void {
    if (method.startsWith('test/') || method in TANDEM_ONLY) return;
    if (!def) {
      this.violations.push({ kind, method, problem: `codex has no ${kind} named ${method}` });
      return;
    }
    const experimental = kind === 'response' && this.experimentalMethods.has(method);
    const cacheKey = experimental ? `experimental:${def}` : def;
    let validator = this.cache.get(cacheKey);
    if (!validator) {
      // Some types (the fuzzy search ones) only exist as standalone files with their own definitions.
      const standalone = path.join(this.dir, `${def}.json`);
      const experimentalStandalone = path.join(this.experimentalDir, `${def}.json`);
      validator = experimental
        ? !(def in this.experimentalDefinitions) && fs.existsSync(experimentalStandalone)
          ? this.ajv.compile(JSON.parse(fs.readFileSync(experimentalStandalone, 'utf8')) as Json)
          : this.ajv.compile({ $ref: `codex-experimental#/definitions/${def}` })
        : !this.bundleDefinitions.has(def) && fs.existsSync(standalone)
          ? this.ajv.compile(JSON.parse(fs.readFileSync(standalone, 'utf8')) as Json)
          : this.ajv.compile({ $ref: `codex#/definitions/${def}` });
      this.cache.set(cacheKey, validator);
    }
    if (!validator(value)) {
      const error = validator.errors?.[0];
      this.violations.push({
        kind,
        method,
        problem: `${error?.instancePath || '<root>'} ${error?.message ?? 'is invalid'} (schema rule ${error?.schemaPath ?? '?'})`,
      });
    }
  }
}

/** Requests without params (or with oddly named ones) whose response type cannot be derived from the params' name. */
/** Methods Tandem serves that codex 0.169 does not print in its schema; their shapes are checked by our zod types. */
export const TANDEM_ONLY: Record<string, string> = {
  gitDiffToRemote: 'a v1 method codex still serves, but generate-json-schema no longer prints v1 types',
  'thread/backgroundTerminals/list': 'experimental in codex 0.169: printed only by generate-json-schema --experimental',
  'thread/backgroundTerminals/clean': 'experimental in codex 0.169: printed only by generate-json-schema --experimental',
  'thread/backgroundTerminals/terminate': 'experimental in codex 0.169: printed only by generate-json-schema --experimental',
};

const RESPONSE_EXCEPTIONS: Record<string, string> = {
  'account/logout': 'LogoutAccountResponse',
  'account/rateLimits/read': 'GetAccountRateLimitsResponse',
  'configRequirements/read': 'ConfigRequirementsReadResponse',
  'config/value/write': 'ConfigWriteResponse',
  'config/batchWrite': 'ConfigWriteResponse',
  // Takes no params, so its response cannot be named after them.
  'config/mcpServer/reload': 'McpServerRefreshResponse',
};

function readVariants(file: string, includeParamless = false): Array<{ method: string; def: string }> {
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { oneOf?: Json[]; anyOf?: Json[] };
  const variants: Array<{ method: string; def: string }> = [];
  for (const variant of schema.oneOf ?? schema.anyOf ?? []) {
    const props = variant.properties as { method?: { enum?: string[] }; params?: { $ref?: string; anyOf?: Array<{ $ref?: string }> } } | undefined;
    const method = props?.method?.enum?.[0];
    const ref = props?.params?.$ref ?? props?.params?.anyOf?.find((a) => a.$ref)?.$ref;
    if (method && ref) variants.push({ method, def: ref.split('/').pop()!.replace(/^Nullable/, '') });
    else if (method && includeParamless) variants.push({ method, def: '' });
  }
  return variants;
}
