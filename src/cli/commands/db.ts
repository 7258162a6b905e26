import { parseArgs } from 'node:util';
import { UsageError, type CliIO, type Command } from '../io';
import {
  discoverConnections, openEmbedded, connect, explain, liveTarget, EmbeddedService, PROVIDER_LABELS, ConnectError, ExplainError,
  type ExplainRequest, type ExplainResult, type ParamValue,
} from '../../core/db';

const HELP = `usage: dbe db <subcommand> [options]

  discover                  list the connections the workspace and environment name (no passwords)
  build [--rows N]          build the embedded database from the migrations; report statements that fail
  explain <sql>             EXPLAIN (FORMAT JSON) a statement; prints the plan JSON
      --analyze             run it (inside BEGIN … ROLLBACK: nothing is kept)
      --url URL             a live database (password from the URL or PGPASSWORD); default: embedded
      --param k=v           a placeholder value ($1 → 1=v, :name → name=v); repeatable
      --as ROLE             run as this role; --claims JSON sets request.jwt.claims
      --generic             the generic plan, placeholders unbound (PostgreSQL 16+; the embedded db is 18)
      --read-only           open the live connection read-only

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
        param: { type: 'string', multiple: true }, as: { type: 'string' }, claims: { type: 'string' }, 'read-only': { type: 'boolean' }, generic: { type: 'boolean' },
      },
    });
    const [sub, ...rest] = positionals;
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
      const e = await openEmbedded({ root: io.cwd, folders, rows, cacheDir: values['cache-dir'], onProgress: progress });
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
      const query = rest.join(' ').trim();
      if (!query) throw new UsageError('explain needs a SQL statement');
      const params: Record<string, ParamValue> = {};
      for (const p of values.param ?? []) {
        const eq = p.indexOf('=');
        if (eq < 1) throw new UsageError(`--param takes key=value, got "${p}"`);
        params[p.slice(0, eq).replace(/^[$:]/, '')] = p.slice(eq + 1);
      }
      let claims: Record<string, unknown> | undefined;
      if (values.claims) {
        try { claims = JSON.parse(values.claims) as Record<string, unknown>; } catch { throw new UsageError('--claims takes a JSON object'); }
      }
      let run: (req: ExplainRequest) => Promise<ExplainResult>;
      let close: () => Promise<void>;
      try {
        if (values.url) {
          const conn = await connect({ id: 'cli', name: 'cli', url: values.url }, { password: io.env.PGPASSWORD, readOnlyPolicy: values['read-only'] ? 'always' : 'never' });
          run = (req) => explain(liveTarget(conn), req);
          close = conn.close;
        } else {
          // In a worker thread, so the statement timeout holds on the embedded database too.
          const service = new EmbeddedService({ root: io.cwd, folders, cacheDir: values['cache-dir'] });
          run = async (req) => {
            try {
              return await service.explain(req, progress);
            } finally {
              endProgress();
            }
          };
          close = () => service.dispose();
        }
      } catch (err) {
        if (err instanceof ConnectError) { io.stderr(`dbe db: ${err.message}\n`); return 1; }
        throw err;
      }
      try {
        const result = await run({ query, analyze: values.analyze, genericPlan: values.generic, params, runAs: values.as || claims ? { role: values.as, claims } : undefined });
        io.stdout(JSON.stringify(result, null, 2) + '\n');
        return 0;
      } catch (err) {
        if (err instanceof ExplainError) { io.stderr(`dbe db: ${err.message}\n`); return 1; }
        throw err;
      } finally {
        await close();
      }
    }
    throw new UsageError(`unknown subcommand '${sub}'\n\n${HELP}`);
  },
};
