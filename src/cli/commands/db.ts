import { parseArgs } from 'node:util';
import { UsageError, type CliIO, type Command } from '../io';
import { discoverConnections, openEmbedded, PROVIDER_LABELS } from '../../core/db';
import { Project } from '../../core/workspace/project';
import { explainCommand } from './explain';

const HELP = `usage: dbe db <subcommand> [options]

  discover                  list the connections the workspace and environment name (no passwords)
  build [--rows N]          build the embedded database from the migrations; report statements that fail
  explain <sql>             alias of \`dbe explain --format json\` (--url is --db, --as is --role);
                            see \`dbe explain --help\`

common: --folders a,b (migration folders), --cache-dir DIR, --json
`;

/** `dbe db`: the database side from the command line (CI can build the embedded db to check migrations apply). */
export const dbCommand: Command = {
  summary: 'discover connections, build the embedded database, explain a statement',
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true,
      options: {
        help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' }, rows: { type: 'string' },
        folders: { type: 'string' }, 'cache-dir': { type: 'string' }, analyze: { type: 'boolean' }, url: { type: 'string' },
        param: { type: 'string', multiple: true }, as: { type: 'string' }, claims: { type: 'string' }, generic: { type: 'boolean' },
        format: { type: 'string' }, out: { type: 'string' }, timeout: { type: 'string' }, role: { type: 'string' }, db: { type: 'string' },
        migrations: { type: 'string' }, file: { type: 'string' }, statement: { type: 'string' }, 'no-color': { type: 'boolean' },
      },
    });
    if (positionals[0] === 'explain' && !values.help) return explainCommand.run(aliasArgs(args), io);
    const [sub] = positionals;
    if (values.help || !sub) {
      io.stdout(HELP);
      return values.help ? 0 : 2;
    }
    const folders = values.folders?.split(',').map((s) => s.trim()).filter(Boolean);
    const progress = (p: { index: number; total: number; file: string }) => { if (io.isTTY) io.stderr(`\r\x1b[Kapplying ${p.index}/${p.total} ${p.file}`); };
    const endProgress = () => { if (io.isTTY) io.stderr('\r\x1b[K'); };

    if (sub === 'discover') {
      const found = discoverConnections(io.cwd, { env: io.env });
      if (values.json) io.stdout(JSON.stringify(found.map(({ password, ...f }) => ({ ...f, hasPassword: Boolean(password) })), null, 2) + '\n');
      else for (const f of found) io.stdout(`${PROVIDER_LABELS[f.provider].padEnd(16)} ${f.display.padEnd(48)} ${f.source}\n`);
      return 0;
    }
    if (sub === 'build') {
      const rows = values.rows ? Number(values.rows) : 0;
      if (!Number.isInteger(rows) || rows < 0) throw new UsageError('--rows takes a whole number');
      // The project's migration folders (--folders, else .dbe.json's, else detected), confined to it.
      const project = new Project({ root: io.cwd, ...(folders?.length ? { overlay: { migrationFolders: folders } } : {}) });
      const refused = project.problems().filter((p) => p.kind === 'folders');
      if (refused.length) throw new UsageError(refused.map((p) => p.message).join('\n'));
      const chosen = project.getConfig().migrationFolders;
      const e = await openEmbedded({ root: io.cwd, ...(chosen ? { folders: chosen } : {}), rows, cacheDir: values['cache-dir'], onProgress: progress });
      endProgress();
      try {
        if (values.json) io.stdout(JSON.stringify({ files: e.files, issues: e.issues, fromCache: e.fromCache }, null, 2) + '\n');
        else {
          for (const i of e.issues) io.stdout(`${i.file}:${i.line}: ${i.message}\n`);
          io.stderr(`${e.files.length} migration file(s), ${e.issues.length} failing statement(s)${e.fromCache ? ' (from cache)' : ''}\n`);
        }
        return e.issues.length > 0 ? 1 : 0;
      } finally {
        await e.close();
      }
    }
    if (sub === 'explain') {
      // One implementation: `dbe db explain` is `dbe explain --format json` with the old flag names.
      return explainCommand.run(aliasArgs(args), io);
    }
    throw new UsageError(`unknown subcommand '${sub}'\n\n${HELP}`);
  },
};

/** `db explain …` flags → `explain …` flags: --url → --db, --as → --role, JSON unless a format is given. */
function aliasArgs(args: string[]): string[] {
  const out = args.filter((a, i) => !(a === 'explain' && args.indexOf('explain') === i)).map((a) =>
    a === '--url' ? '--db' : a.startsWith('--url=') ? `--db=${a.slice(6)}` : a === '--as' ? '--role' : a.startsWith('--as=') ? `--role=${a.slice(5)}` : a);
  return out.some((a) => a === '--format' || a.startsWith('--format=')) ? out : ['--format', 'json', ...out];
}
