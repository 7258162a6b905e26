// `npm run bench`: every benchmark module, in order. Each exports `run(log)`; add yours to the list.
const benches: { name: string; load: () => Promise<{ run: (log?: (line: string) => void) => Promise<void> }> }[] = [
  { name: 'plan', load: () => import('./plan') },
];

async function main(): Promise<void> {
  for (const b of benches) {
    process.stdout.write(`== ${b.name}\n`);
    try {
      await (await b.load()).run((line) => process.stdout.write(`${line}\n`));
    } catch (err) {
      process.stdout.write(`${b.name} failed: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    }
  }
}

void main();
