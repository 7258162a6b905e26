<<<<<<< HEAD
/**
 * `npm run bench [name…]`: runs each registered bench module in turn and prints its figures.
 * A bench module exports `run(): Promise<void>` and prints `name: value unit` lines. Add yours to the list.
 */
const benches: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  embedded: () => import('./embedded'),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const [name, load] of Object.entries(benches)) {
    if (wanted.length && !wanted.includes(name)) continue;
    process.stdout.write(`\n== ${name}\n`);
    const started = Date.now();
    try {
      await (await load()).run();
    } catch (err) {
      process.stdout.write(`${name}: failed: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    }
    process.stdout.write(`(${name} took ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
=======
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
>>>>>>> plan
  }
}

void main();
