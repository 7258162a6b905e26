import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parsePostgresUrl, redactUrl, stripPassword, type ConnectionProfile } from './profile';
import { recognizeProvider, type Provider } from './provider';

/** A connection found in the workspace or environment, offered in "Connect…". */
export interface DiscoveredConnection {
  /** A profile without password; `id` is derived from the source so re-discovery gives the same id. */
  profile: ConnectionProfile;
  provider: Provider;
  /** Where it came from, for the picker: `.env DATABASE_URL`, `prisma/schema.prisma (env DIRECT_URL)`, … */
  source: string;
  /** `host:port/db` with no password. */
  display: string;
  /** A password that came with it (URL or ~/.pgpass). Never stored in the profile; the editor may move it to SecretStorage. */
  password?: string;
}

export interface DiscoveryOptions {
  /** Process environment (for PG* variables and env() references not found in .env files). Default: none. */
  env?: NodeJS.ProcessEnv;
  /** Home directory holding .pgpass. Default: os.homedir(). */
  home?: string;
  /** PGPASSFILE overrides home/.pgpass, as libpq does. */
}

const URL_KEYS = ['DATABASE_URL', 'DIRECT_URL', 'POSTGRES_URL', 'POSTGRES_PRISMA_URL', 'POSTGRES_URL_NON_POOLING', 'SUPABASE_DB_URL', 'PG_URL', 'DB_URL'];
const ENV_FILES = ['.env', '.env.local', '.env.development', '.env.development.local'];
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.next', 'coverage', 'vendor']);

/**
 * Every connection the workspace or environment names: URL variables in .env files, Prisma's datasource (`url` /
 * `directUrl` as env() or literal), a local Supabase (`supabase/config.toml`), PG* environment variables; then
 * passwords from ~/.pgpass for those that lack one. Duplicates (same user@host:port/db) keep the first source.
 */
export function discoverConnections(root: string, options: DiscoveryOptions = {}): DiscoveredConnection[] {
  const env = options.env ?? {};
  const found: DiscoveredConnection[] = [];
  const envVars: Record<string, { value: string; file: string }> = {};

  for (const file of findFiles(root, (name) => ENV_FILES.includes(name), 2)) {
    let vars: Record<string, string>;
    try {
      vars = parseDotenv(readFileSync(file));
    } catch {
      continue;
    }
    const rel = rp(root, file);
    for (const [k, v] of Object.entries(vars)) {
      envVars[k] ??= { value: v, file: rel };
      if (URL_KEYS.includes(k) || /^postgres(ql)?:\/\//i.test(v)) addUrl(found, v, `${rel} ${k}`);
    }
  }

  for (const file of findFiles(root, (name) => name === 'schema.prisma', 3)) {
    const rel = rp(root, file);
    for (const { key, ref } of prismaDatasourceUrls(readText(file))) {
      if (ref.kind === 'literal') addUrl(found, ref.value, `${rel} ${key}`);
      else {
        const value = envVars[ref.name]?.value ?? env[ref.name];
        if (value) addUrl(found, value, `${rel} ${key} = env("${ref.name}")`);
      }
    }
  }

  const supabaseConfig = join(root, 'supabase', 'config.toml');
  if (existsSync(supabaseConfig)) {
    const port = supabaseDbPort(readText(supabaseConfig)) ?? 54322;
    // The local stack the Supabase CLI starts from this folder is a scratch database: writable by default.
    addProfile(found, { id: '', name: 'Supabase local', host: '127.0.0.1', port, database: 'postgres', user: 'postgres', readOnly: false }, 'supabase/config.toml [db]', 'postgres');
  }

  if (env.DATABASE_URL) addUrl(found, env.DATABASE_URL, 'environment DATABASE_URL');
  if (env.PGHOST || env.PGDATABASE || env.PGUSER || env.PGPORT) {
    addProfile(found, {
      id: '', name: 'PG* environment',
      host: env.PGHOST || 'localhost', port: env.PGPORT ? Number(env.PGPORT) : 5432,
      database: env.PGDATABASE || env.PGUSER || 'postgres', user: env.PGUSER || 'postgres',
      sslmode: (env.PGSSLMODE as ConnectionProfile['sslmode']) || undefined,
    }, 'environment PG* variables', env.PGPASSWORD || undefined);
  }

  const pgpassFile = env.PGPASSFILE || join(options.home ?? homedir(), '.pgpass');
  const pgpass = existsSync(pgpassFile) ? parsePgpass(readText(pgpassFile)) : [];
  for (const c of found) {
    if (c.password) continue;
    const p = c.profile;
    const hit = pgpass.find((e) => e.matches(p.host ?? 'localhost', p.port ?? 5432, p.database ?? '', p.user ?? ''));
    if (hit) c.password = hit.password;
  }
  return found;
}

function addUrl(found: DiscoveredConnection[], url: string, source: string): void {
  const parsed = parsePostgresUrl(url);
  if (!parsed) return;
  const profile: ConnectionProfile = {
    id: '', name: source,
    host: parsed.host ?? 'localhost', port: parsed.port ?? 5432,
    database: parsed.database ?? parsed.user ?? 'postgres', user: parsed.user ?? 'postgres',
    sslmode: parsed.sslmode, url: stripPassword(url),
  };
  addProfile(found, profile, source, parsed.password);
}

function addProfile(found: DiscoveredConnection[], profile: ConnectionProfile, source: string, password?: string): void {
  const display = `${profile.host}:${profile.port}/${profile.database}`;
  const identity = `${profile.user}@${display}`;
  if (found.some((f) => `${f.profile.user}@${f.display}` === identity)) return;
  profile.id = `discovered:${identity}`;
  found.push({ profile, provider: recognizeProvider(profile.host), source, display, password });
}

export type PrismaUrlRef = { kind: 'env'; name: string } | { kind: 'literal'; value: string };

/** `url` / `directUrl` / `shadowDatabaseUrl` of each postgres datasource block in a Prisma schema. */
export function prismaDatasourceUrls(schema: string): { key: string; ref: PrismaUrlRef }[] {
  const out: { key: string; ref: PrismaUrlRef }[] = [];
  // Drop `//` comments, but not the `//` inside a quoted URL.
  const noComments = schema.replace(/^((?:[^"\/\n]|"[^"\n]*"|\/(?!\/))*)\/\/.*$/gm, '$1');
  for (const block of noComments.matchAll(/datasource\s+\w+\s*\{([^}]*)\}/g)) {
    const body = block[1]!;
    const provider = /provider\s*=\s*"([^"]+)"/.exec(body)?.[1];
    if (provider && !/postgres|cockroach/i.test(provider)) continue;
    for (const m of body.matchAll(/\b(url|directUrl)\s*=\s*(?:env\(\s*"([^"]+)"\s*\)|"([^"]+)")/g)) {
      out.push({ key: m[1]!, ref: m[2] ? { kind: 'env', name: m[2] } : { kind: 'literal', value: m[3]! } });
    }
  }
  return out;
}

/**
 * `port` under `[db]` in supabase/config.toml. A tiny line scan rather than a TOML library: we need one integer
 * from one table, and Supabase writes it as a plain `port = 54322` line.
 */
export function supabaseDbPort(toml: string): number | undefined {
  let section = '';
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) section = head[1]!.trim();
    else if (section === 'db') {
      const m = /^port\s*=\s*(\d+)$/.exec(line);
      if (m) return Number(m[1]);
    }
  }
  return undefined;
}

interface PgpassEntry {
  password: string;
  matches(host: string, port: number, db: string, user: string): boolean;
}

/** libpq's password file: `host:port:database:user:password`, `*` wildcards, `\:` and `\\` escapes, first match wins. */
export function parsePgpass(text: string): PgpassEntry[] {
  const out: PgpassEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const fields: string[] = [];
    let cur = '';
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (ch === '\\' && i + 1 < line.length) cur += line[++i];
      else if (ch === ':' && fields.length < 4) { fields.push(cur); cur = ''; }
      else cur += ch;
    }
    fields.push(cur);
    if (fields.length !== 5) continue;
    const [h, p, d, u, password] = fields as [string, string, string, string, string];
    const eq = (pattern: string, value: string) => pattern === '*' || pattern === value;
    out.push({
      password,
      matches: (host, port, db, user) =>
        (eq(h, host) || (h === 'localhost' && (host === '127.0.0.1' || host.startsWith('/')))) && eq(p, String(port)) && eq(d, db) && eq(u, user),
    });
  }
  return out;
}

/** Files named by `accept` at most `depth` folders below root, skipping generated folders. */
function findFiles(root: string, accept: (name: string) => boolean, depth: number): string[] {
  const out: string[] = [];
  const walk = (dir: string, level: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) if (e.isFile() && accept(e.name)) out.push(join(dir, e.name));
    if (level < depth) for (const e of entries) if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(join(dir, e.name), level + 1);
  };
  walk(root, 0);
  return out;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function rp(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

export { redactUrl };
