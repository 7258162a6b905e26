/**
 * Workspace file access for tools: every path resolves inside the workspace root and, when the agent names
 * `allowedDirectories`, inside one of those. Symlinks are resolved before the check, so a link pointing out of
 * the workspace is refused like a `..` path.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ToolContext } from './types';

/**
 * Files that hold credentials by convention. They stay unread even inside the workspace: their content would go to
 * the model, and a DATABASE_URL or API key must never be sent there.
 */
const SECRET_FILES = /(^|\/)(\.env(\..*)?|\.pgpass|\.npmrc|\.netrc|\.git-credentials|id_(rsa|ed25519|ecdsa)(\.pub)?|credentials(\.json)?|.*\.(pem|key|p12|pfx|keystore))$/i;

export function isSecretFile(rel: string): boolean {
  return SECRET_FILES.test(rel) && !/\.env\.(example|sample|template)$/i.test(rel);
}

/** Credentials that may still sit in an ordinary file (a URL with a password, an Anthropic/Supabase-style key). */
export function redactSecrets(text: string): string {
  return text
    .replace(/(postgres(?:ql)?:\/\/[^:/?#@\s]*):([^@/?#\s]+)@/gi, '$1:***@')
    .replace(/\bsk-ant-[A-Za-z0-9_-]{8,}/g, 'sk-ant-***')
    .replace(/\b(service_role|SUPABASE_SERVICE_ROLE_KEY|SUPABASE_KEY|ANTHROPIC_API_KEY|PGPASSWORD|DATABASE_PASSWORD|POSTGRES_PASSWORD)(\s*[=:]\s*)(["']?)[^\s"']+\3/g, '$1$2$3***$3');
}

export type Resolved = { ok: true; abs: string; rel: string } | { ok: false; message: string };

const inside = (parent: string, child: string) => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

const real = (p: string): string => {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
};

/** The real workspace root and allowed directories (absolute, symlinks resolved). */
export function allowedRoots(ctx: ToolContext): { root: string; dirs: string[] } {
  const root = real(ctx.project.root);
  const dirs = (ctx.allowedDirectories ?? []).map((d) => real(isAbsolute(d) ? d : resolve(ctx.project.root, d))).filter((d) => inside(root, d));
  // Allowed directories that all lie outside the workspace allow nothing, rather than everything.
  if (ctx.allowedDirectories?.length && dirs.length === 0) return { root, dirs: ['\0none'] };
  return { root, dirs };
}

/** Resolves a workspace path for reading; refuses escapes with a message that says what is allowed. */
export function resolveWorkspacePath(ctx: ToolContext, given: string): Resolved {
  if (typeof given !== 'string' || !given.trim()) return { ok: false, message: 'No path given: pass a workspace-relative path such as "supabase/migrations/0001_init.sql".' };
  const { root, dirs } = allowedRoots(ctx);
  const abs = real(isAbsolute(given) ? given : resolve(root, given));
  if (!inside(root, abs)) return { ok: false, message: `"${given}" is outside the workspace; only files inside it can be read.` };
  if (dirs.length && !dirs.some((d) => inside(d, abs))) {
    return { ok: false, message: `"${given}" is outside this agent's allowed directories (${dirs.map((d) => displayRel(root, d)).join(', ')}).` };
  }
  const rel = displayRel(root, abs);
  if (isSecretFile(rel)) return { ok: false, message: `"${given}" holds credentials by convention (.env, keys, .pgpass …), so it is never read for the model.` };
  return { ok: true, abs, rel };
}

export function displayRel(root: string, abs: string): string {
  const r = relative(real(root), abs);
  return (r || '.').split(sep).join('/');
}

/** Whether an absolute file may be shown to the agent (inside the workspace and its allowed directories). */
export function isAllowed(ctx: ToolContext, abs: string): boolean {
  const { root, dirs } = allowedRoots(ctx);
  const p = real(abs);
  return inside(root, p) && (!dirs.length || dirs.some((d) => inside(d, p)));
}
