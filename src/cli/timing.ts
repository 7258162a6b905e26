/**
 * `DBE_LINT_TIMING=1 dbe lint …`: where a lint run's time and memory go, printed to stderr when the process exits
 * (the benchmark prints it; see bench/lint.ts). Marks are milliseconds since the process started. The launcher
 * and the lint bundle are separate bundles, so the marks live on a global both reach. Node's `performance` global is
 * only touched when timing is on (loading it costs a normal run a few milliseconds).
 */
type Marks = [label: string, at: number, heapMb: number][];
const KEY = Symbol.for('database-engineer.lintTiming');
const marks = (): Marks | undefined => (globalThis as { [KEY]?: Marks })[KEY];

/** Starts recording when DBE_LINT_TIMING=1 (the launcher calls it first thing). */
export function startTiming(env: NodeJS.ProcessEnv): void {
  if (env['DBE_LINT_TIMING'] !== '1' || marks()) return;
  // Node's own start-up, before any of our code ran.
  (globalThis as { [KEY]?: Marks })[KEY] = [['node ready', performance.nodeTiming.bootstrapComplete, heapMb()]];
  process.once('exit', () => process.stderr.write(report(marks()!)));
}

/** Records that a phase ended (a no-op unless timing is on). */
export function mark(label: string): void {
  marks()?.push([label, performance.now(), heapMb()]);
}

const heapMb = () => process.memoryUsage().heapUsed / 1048576;

function report(list: Marks): string {
  list.push(['exit', performance.now(), heapMb()]);
  let prev = 0;
  const lines = list.map(([label, at, heap]) => {
    const line = `  ${label.padEnd(28)} ${(at - prev).toFixed(1).padStart(7)} ms  (at ${at.toFixed(1)}; JS heap ${heap.toFixed(0)} MB)`;
    prev = at;
    return line;
  });
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
  const mem = process.memoryUsage();
  const maxRss = process.resourceUsage().maxRSS * 1024;
  return `dbe lint timing:\n${lines.join('\n')}\n  peak RSS ${mb(maxRss)}; at exit: heap used ${mb(mem.heapUsed)}, external ${mb(mem.external)}, array buffers ${mb(mem.arrayBuffers)}\n`;
}
