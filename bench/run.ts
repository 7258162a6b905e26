// `npm run bench`: every benchmark, one after the other. Add yours to the list.
const benches: [string, () => Promise<{ run: () => Promise<void> }>][] = [
  ['lint', () => import('./lint')],
];

(async () => {
  for (const [name, load] of benches) {
    process.stdout.write(`\n== bench: ${name}\n`);
    await (await load()).run();
  }
})().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
