// Loads host modules against the fake vscode module (test/support/fakeVscode.ts): while a suite runs,
// `require('vscode')` resolves to the fake; afterwards resolution is as it was.
import Module from 'node:module';
import * as path from 'node:path';

type Resolver = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolver };

export type FakeVscode = typeof import('./fakeVscode');

/**
 * Registers mocha hooks in the calling `describe`; `load` returns the module at a path relative to the
 * repository (e.g. 'src/vscode/approvals') once the suite has started, with `vscode` resolved to the fake.
 */
export function withFakeVscode(): { fake(): FakeVscode; load<T>(modulePath: string): T } {
  const originalResolve = moduleInternals._resolveFilename;
  let fake: FakeVscode | undefined;
  before(() => {
    moduleInternals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
      if (request === 'vscode') return path.join(__dirname, 'fakeVscode.ts');
      return originalResolve.call(this, request, ...rest);
    };
    fake = require('./fakeVscode') as FakeVscode; // eslint-disable-line @typescript-eslint/no-require-imports
  });
  after(() => {
    moduleInternals._resolveFilename = originalResolve;
  });
  return {
    fake: () => fake!,
    load: <T>(modulePath: string) => require(path.join(__dirname, '..', '..', modulePath)) as T, // eslint-disable-line @typescript-eslint/no-require-imports
  };
}
