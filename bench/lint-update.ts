// Editor update latency without the editor: what one debounced update costs on a 1,000-statement migration
// (setFile of the edited text + findings of the workspace + per-file signatures, as FolderLinter.publish does).
// Run: node --import tsx bench/lint-update.ts
import { Analyzer } from '../src/core/analysis';

function bigMigration(tables: number): string {
  const lines: string[] = [];
  for (let i = 0; i < tables; i++) {
    lines.push(
      `create table public.big_${i} (id bigint generated always as identity primary key, owner_id uuid not null, body text);`,
      `alter table public.big_${i} enable row level security;`,
      `create policy "own ${i}" on public.big_${i} for select to authenticated using ((select auth.uid()) = owner_id);`,
      `create index big_${i}_owner_idx on public.big_${i} (owner_id);`,
    );
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const analyzer = await Analyzer.create();
  const path = '/ws/supabase/migrations/20250101000000_big.sql';
  let text = bigMigration(250);
  let t = performance.now();
  analyzer.setFile(path, text);
  analyzer.findings();
  console.log(`cold load of 1,000 statements: ${(performance.now() - t).toFixed(1)} ms`);
  const set: number[] = [], lint: number[] = [], sig: number[] = [];
  for (let i = 0; i < 20; i++) {
    const at = text.indexOf(`big_${i * 10} `);
    text = text.slice(0, at) + text.slice(at).replace('body text', i % 2 ? 'body text' : 'body  text');
    t = performance.now();
    analyzer.setFile(path, text);
    set.push(performance.now() - t);
    t = performance.now();
    const findings = analyzer.findings();
    lint.push(performance.now() - t);
    t = performance.now();
    JSON.stringify(findings.map((f) => [f.rule, f.severity, f.message, f.range, f.related ?? null]));
    sig.push(performance.now() - t);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(1);
  console.log(`one-statement edit in a 1,000-statement file (median of 20): setFile ${med(set)} ms, model + rules ${med(lint)} ms, signature ${med(sig)} ms`);
}

void main();
