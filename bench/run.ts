// `npm run bench`: prints numbers and ratios. Benchmarks are never part of `npm test`.
import { runTransportBench } from './transport';

async function main(): Promise<void> {
  console.log(`Tandem benchmarks — ${new Date().toISOString()} — node ${process.version}, ${process.platform}/${process.arch}`);
  await runTransportBench();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
