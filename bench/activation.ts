/**
 * Activation in the real editor (code-server + headless Chromium, as the editor tests run it) on a copy of the
 * example workspace, opened a few times. Figures (medians): from the extension host starting our activation (its
 * `ExtensionService#_doActivateExtension` log line, before it loads our code) to the moment `activate` returns (the
 * time written in our "activated" line), from that start to our bundle being evaluated, and the time `activate`
 * itself reports. Needs `node scripts/build.mjs`
 * first (it runs dist/ as the editor would).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbench } from '../scripts/editor/workbench.mjs';
import { makeWorkspace, repoRoot } from '../scripts/editor/workspace.mjs';

const EXTENSION_ID = 'database-engineer.database-engineer';
const ACTIVATED = / activated in ([\d.]+) ms, at (\d\d:\d\d:\d\d\.\d{3}) \(code loaded at (\d\d:\d\d:\d\d\.\d{3})\)/;
const RUNS = Number(process.env['DBE_BENCH_ACTIVATION_RUNS'] || 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Milliseconds since the epoch of a log line's `YYYY-MM-DD HH:MM:SS.mmm` timestamp (local time, like the logger). */
function stamp(line: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})/.exec(line);
  if (!m) throw new Error(`no timestamp on log line: ${line}`);
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

interface Run { fromHost: number; toLoaded: number; inActivate: number }

async function once(root: string): Promise<Run> {
  const scratch = mkdtempSync(join(tmpdir(), 'dbe-bench-activation-'));
  const editor = await openWorkbench({ folder: makeWorkspace(scratch), extensionPath: root });
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const all = files(join(editor.userDataDir, 'logs'));
      const ours = all.find((f) => f.endsWith(join(EXTENSION_ID, 'Database Engineer.log')));
      const activated = ours ? readFileSync(ours, 'utf8').split('\n').find((l) => ACTIVATED.test(l)) : undefined;
      const hostLine = all.filter((f) => /exthost/i.test(f) && f.endsWith('.log'))
        .flatMap((f) => readFileSync(f, 'utf8').split('\n'))
        .find((l) => l.includes(`_doActivateExtension ${EXTENSION_ID}`));
      if (activated && hostLine) {
        const [, body, at, loaded] = ACTIVATED.exec(activated)!;
        // Our line carries the times it was written and the code loaded; the channel's own stamp is when it flushed.
        const host = stamp(hostLine);
        const day = hostLine.slice(0, 10);
        return { fromHost: stamp(`${day} ${at}`) - host, toLoaded: stamp(`${day} ${loaded}`) - host, inActivate: Number(body) };
      }
      if (Date.now() > deadline) throw new Error(`no activation logged within 120 s (our log: ${Boolean(ours)}, host line: ${Boolean(hostLine)})`);
      await sleep(250);
    }
  } finally {
    await editor.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function run(log: (line: string) => void = console.log): Promise<void> {
  const root: string = repoRoot;
  if (!existsSync(join(root, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run node scripts/build.mjs first');
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(root));
  log(`activation.editor.hostToActivated: ${median(runs.map((r) => r.fromHost))} ms (median of ${RUNS}; extension host starts activating → activate() returned; runs: ${runs.map((r) => r.fromHost).join(', ')})`);
  log(`activation.editor.hostToCodeLoaded: ${median(runs.map((r) => r.toLoaded))} ms (median of ${RUNS}; reading and evaluating dist/extension.js; the rest until activate() runs is the host preparing the extension context)`);
  log(`activation.editor.activateBody: ${median(runs.map((r) => r.inActivate)).toFixed(1)} ms (median of ${RUNS}; what activate() itself takes)`);
}
