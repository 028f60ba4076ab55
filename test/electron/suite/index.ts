// Entry point VS Code calls in the extension host: runs the mocha tests next to this file.
import Mocha from 'mocha';
import { registerExtensionHostTests } from './extensionHost.test';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 30_000 });
  mocha.suite.emit('pre-require', globalThis, 'extensionHost', mocha);
  registerExtensionHostTests();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host tests failed`)) : resolve()));
  });
}
