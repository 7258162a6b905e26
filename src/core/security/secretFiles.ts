import { readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative } from 'node:path';
/**
 * Files that hold credentials, by name and by content. They are never read for a model (read_file, files attached
 * to `dbe ask`), even inside the workspace: redaction masks what it recognises, but a whole key file or an .env is
 * better not sent at all.
 */

/** Path segments (folders or files) that hold credentials wherever they sit. */
const SECRET_SEGMENT = /^(\.git|\.ssh|\.gnupg|\.aws|\.azure|\.kube|\.docker|gcloud|\.env(\..*)?|\.envrc|\.pgpass|\.netrc|_netrc|\.npmrc|\.yarnrc(\.yml)?|\.pypirc|\.git-credentials|\.dockercfg|\.htpasswd|\.my\.cnf|\.s3cfg|\.boto|credentials(\.json|\.csv)?|id_[a-z0-9_]+(\.pub)?|known_hosts|authorized_keys|secrets?\.(json|ya?ml|toml)|.*service[-_]?account.*\.json|.*\.(pem|key|p12|pfx|jks|keystore|ppk|asc|gpg|kdbx|tfstate|tfvars))$/i;
/** Templates meant to be committed: `.env.example`, `.env.sample`, `.env.template`. */
const TEMPLATE = /^\.env\.(example|sample|template|dist)$/i;

/** Whether a workspace-relative path names a credentials file or lies inside a credentials folder (`.git/`, `.ssh/`). */
export function isSecretPath(rel: string): boolean {
  const segments = rel.split(/[\\/]+/).filter((s) => s && s !== '.');
  return segments.some((s) => SECRET_SEGMENT.test(s) && !TEMPLATE.test(s));
}

/** Why a file's content marks it as a credential, or undefined: a private key block or a `private_key` field. */
export function secretContent(text: string): string | undefined {
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/.test(text)) return 'it holds a private key (PEM block)';
  if (/["']private_key["']\s*:/.test(text)) return 'it holds a `private_key` field (a service-account key)';
  if (/^PuTTY-User-Key-File-/m.test(text)) return 'it holds a private key (PuTTY)';
  return undefined;
}

export type FileRead = { ok: true; text: string; size: number } | { ok: false; message: string; reason: 'credentials' | 'folder' | 'not-a-file' | 'too-large' | 'binary' | 'unreadable' };

/**
 * Reads a text file that is about to reach a model, by the rules every such read follows: refused when its name (as
 * given, or where a symlink really points) or its content marks it as credentials; only regular files (not a device,
 * a FIFO or a folder); at most `maxBytes`; then redacted. `shown` names the file in messages.
 */
export function readFileForModel(abs: string, shown: string, opts: { root: string; maxBytes: number; redact: (text: string) => string; given?: string }): FileRead {
  let realPath: string;
  try {
    realPath = realpathSync.native(abs);
  } catch (err) {
    return { ok: false, reason: 'unreadable', message: `Cannot read ${shown}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.` };
  }
  // The real path counts from the root (a link `notes.txt -> .git/config`); outside it, by its own name.
  let realRoot = opts.root;
  try { realRoot = realpathSync.native(opts.root); } catch { /* a missing root: compare as given */ }
  const fromRoot = relative(realRoot, realPath);
  const realRel = fromRoot.startsWith('..') || isAbsolute(fromRoot) ? basename(realPath) : fromRoot;
  if ([opts.given ?? shown, shown, realRel].some((p) => isSecretPath(p))) {
    return { ok: false, reason: 'credentials', message: `${shown} holds credentials by convention (.env, .envrc, .git/, keys, .pgpass …), so it is never read for the model.` };
  }
  const st = statSync(realPath);
  if (st.isDirectory()) return { ok: false, reason: 'folder', message: `${shown} is a folder, not a file.` };
  if (!st.isFile()) return { ok: false, reason: 'not-a-file', message: `${shown} is not a regular file (a device, socket or pipe), so it is not read.` };
  if (st.size > opts.maxBytes) return { ok: false, reason: 'too-large', message: `${shown} is ${formatBytes(st.size)}, over the ${formatBytes(opts.maxBytes)} limit; read a smaller file or a line range of it.` };
  let text: string;
  try {
    text = readFileSync(realPath, 'utf8');
  } catch (err) {
    return { ok: false, reason: 'unreadable', message: `Cannot read ${shown}: ${(err as Error).message}.` };
  }
  if (text.includes('\0')) return { ok: false, reason: 'binary', message: `${shown} is a binary file.` };
  const why = secretContent(text);
  if (why) return { ok: false, reason: 'credentials', message: `${shown} is not read for the model: ${why}.` };
  return { ok: true, text: opts.redact(text), size: st.size };
}

const formatBytes = (n: number) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} MB` : n >= 1000 ? `${Math.round(n / 1000)} KB` : `${n} bytes`);
