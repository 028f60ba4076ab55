// Mocha root hooks: every message a scripted client receives is validated against the Codex JSON Schema;
// the run fails at the end if any did not validate, and the core-subset coverage is printed.
import { CORE_SUBSET } from './coreSubset';
import { messageObservers } from './protocolClient';
import { SchemaConformance } from './schemaConformance';

let conformance: SchemaConformance | undefined;

export const mochaHooks = {
  beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    conformance = new SchemaConformance();
    messageObservers.push((message, requestMethod) => conformance!.check(message, requestMethod));
  },
  afterAll() {
    if (!conformance || conformance.seen.notifications.size + conformance.seen.responses.size === 0) return;
    const implemented = CORE_SUBSET.filter((m) => conformance!.seen.responses.has(m) || conformance!.seen.notifications.has(m) || conformance!.seen.serverRequests.has(m));
    const missing = CORE_SUBSET.filter((m) => !implemented.includes(m));
    console.log(`\nschema conformance: ${conformance.seen.responses.size} response kinds, ${conformance.seen.notifications.size} notification kinds, ${conformance.seen.serverRequests.size} server request kinds checked`);
    console.log(`core subset (app-server-protocol.md §8): ${implemented.length}/${CORE_SUBSET.length} seen on the wire; not yet: ${missing.join(', ') || 'none'}`);
    if (conformance.violations.length > 0) {
      const unique = [...new Map(conformance.violations.map((v) => [`${v.kind} ${v.method} ${v.problem}`, v])).values()];
      throw new Error(`messages that do not validate against the Codex schema:\n${unique.map((v) => `  ${v.kind} ${v.method}: ${v.problem}`).join('\n')}`);
    }
  },
};
