/**
 * `npm run bench [name…]`: runs each registered bench module in turn and prints its figures.
 * A bench module exports `run(log?)` and prints `name: value unit` lines. Add yours to the list.
 */
type Bench = { run: (log?: (line: string) => void) => Promise<void> };

const benches: Record<string, () => Promise<Bench>> = {
  lint: () => import('./lint'),
  embedded: () => import('./embedded'),
  plan: () => import('./plan'),
  tools: () => import('./tools'),
  activation: () => import('./activation'),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const [name, load] of Object.entries(benches)) {
    if (wanted.length && !wanted.includes(name)) continue;
    process.stdout.write(`\n== ${name}\n`);
    const started = Date.now();
    try {
      await (await load()).run((line) => process.stdout.write(`${line}\n`));
    } catch (err) {
      process.stdout.write(`${name}: failed: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    }
    process.stdout.write(`(${name} took ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
}

void main();
