// `npm run gen:manifest`: regenerates package.json `contributes.chatParticipants` from agents/*.md.
// It imports the TypeScript loader itself (through tsx), so the manifest and the extension read agent
// files with one parser. `--check` only reports drift (exit 1) without writing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { require as tsxRequire } from 'tsx/cjs/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const core = tsxRequire('../src/core/agents/index.ts', import.meta.url);

const catalog = core.loadCatalog({ bundledDir: join(root, 'agents') });
const problems = catalog.entries.flatMap((e) => e.agent.warnings.map((w) => `${e.agent.file}${w.line ? `:${w.line}` : ''}: ${w.message}`));
for (const p of problems) process.stderr.write(`warning: ${p}\n`);

const file = join(root, 'package.json');
const before = readFileSync(file, 'utf8');
// The agents' tools, offered to every participant as `languageModelTools` (registered by src/vscode/contributions.ts, run by src/vscode/chat/lmTools.ts).
const tools = tsxRequire('../src/core/tools/index.ts', import.meta.url);
const withTools = JSON.parse(core.manifestWithParticipants(before, catalog.active()));
withTools.contributes.languageModelTools = tools.allTools.map((t) => ({
  name: `dbe_${t.name}`,
  toolReferenceName: t.name,
  displayName: t.name.split('_').map((w, i) => (i ? w : w[0].toUpperCase() + w.slice(1))).join(' '),
  modelDescription: t.description,
  userDescription: t.description.split('. ')[0].replace(/\.?$/, '.'),
  canBeReferencedInPrompt: true,
  icon: '$(database)',
  tags: ['database', 'postgres', 'sql', 'database-engineer'],
  inputSchema: t.inputSchema,
}));
const after = `${JSON.stringify(withTools, null, 2)}\n`;
const count = catalog.active().length;
if (before === after) {
  process.stdout.write(`package.json is up to date (${count} chat participants)\n`);
} else if (process.argv.includes('--check')) {
  process.stderr.write('package.json chatParticipants differ from agents/: run `npm run gen:manifest`\n');
  process.exit(1);
} else {
  writeFileSync(file, after);
  process.stdout.write(`package.json: wrote ${count} chat participants\n`);
}
