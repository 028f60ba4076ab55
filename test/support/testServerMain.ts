// The CLI with the test-only methods registered: spawned by integration tests (node --import tsx).
import { main } from '../../src/cli';
import { registerTestMethods } from './testMethods';

main(process.argv.slice(2), { extendServer: registerTestMethods }).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(String(error) + '\n');
    process.exit(1);
  },
);
