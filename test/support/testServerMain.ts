// The CLI with the test-only methods and tool registered: spawned by integration tests (node --import tsx).
import { main } from '../../src/cli';
import { registerTestMethods } from './testMethods';
import { testLookupTool } from './testTools';

main(process.argv.slice(2), { extendServer: registerTestMethods, serverOptions: { extraTools: () => [testLookupTool] } }).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(String(error) + '\n');
    process.exit(1);
  },
);
