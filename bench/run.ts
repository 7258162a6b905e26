// `npm run bench`: every benchmark, one after the other. Add yours to the list.
import { run as lint } from './lint';

const benches: [string, () => Promise<void>][] = [
  ['lint', lint],
];

(async () => {
  for (const [name, run] of benches) {
    process.stdout.write(`\n== bench: ${name}\n`);
    await run();
  }
})().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
