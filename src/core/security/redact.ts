/**
 * The one redaction every way out passes through: tool results, files attached to a question, error messages, logs,
 * CLI output and prompts. It masks credentials by their shape (URL userinfo, password parameters, provider keys, PEM
 * blocks, `password:`-style assignments, SQL `PASSWORD '…'`, stored password hashes) and the literal secrets the
 * caller knows (the active connection's password).
 *
 * Every mask is the same `***` whatever the secret's length. A known secret is masked as a literal only where doing
 * so reveals nothing: a password that equals the user name, the database or a common word would turn every mention
 * of that name into `***` and so give itself away; such a password is still masked wherever it stands in a
 * credential position (URL, `password=`, `PASSWORD '…'`).
 */

export const MASK = '***';

export interface RedactOptions {
  /** Literal secrets to mask wherever they appear (the connection's password, API keys the caller holds). */
  secrets?: readonly (string | undefined)[];
  /** Names shown openly (user, database, host): a secret equal to one of them is not masked as a literal. */
  publicNames?: readonly (string | undefined)[];
}

/** Key names whose value is a credential: `password`, `DB_PASS`, `aws_secret_access_key`, `api_key`, `auth_token`… */
const SECRET_KEY = String.raw`[A-Za-z0-9_.-]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|service[_-]?role(?:[_-]?key)?|credentials?|auth[_-]?key)[A-Za-z0-9_-]*`;
/** ENV-style names ending in `_KEY` (SUPABASE_SERVICE_ROLE_KEY, STRIPE_KEY): only upper case, so `primary_key` stays. */
const ENV_KEY = String.raw`[A-Z][A-Z0-9_]*_KEY`;

/**
 * Two rules for assignments to a credential name: a quoted value anywhere (JSON, YAML, code), and a bare value that
 * runs to the end of an ENV / YAML / INI line (`DB_PASS=x`, `export TOKEN=x`, `password: x`, `- KEY=x`).
 */
function assignments(key: string, flags: string): [RegExp, string | ((...m: string[]) => string)][] {
  return [
    [new RegExp(String.raw`((["']?)\b(?:${key})\2\s*[:=]\s*)(["'])((?:\\.|(?!\3)[^\\\n])*)\3`, `g${flags}`), (_m, head: string, _q: string, quote: string) => `${head}${quote}${MASK}${quote}`],
    [new RegExp(String.raw`^(\s*(?:export\s+|-\s+)?(?:${key})\s*[:=][ \t]*)(?!["'\s]|\*\*\*)(\S.*?)[ \t]*$`, `gm${flags}`), `$1${MASK}`],
  ];
}

/** Shape rules, applied in order. Each replacement keeps the surrounding text and puts MASK where the secret was. */
const RULES: [RegExp, string | ((...m: string[]) => string)][] = [
  // PEM private keys (also a block cut off by a size limit, which has no END line).
  [/-----BEGIN ([A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g, (_m, kind: string) => `-----BEGIN ${kind}----- ${MASK} -----END ${kind}-----`],
  // URL userinfo with a password, any scheme: postgres://u:p@, mysql://, redis://:p@, https://user:token@.
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@'"]*):([^\s@'"]*)@/gi, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`],
  // A user-only userinfo on http(s)/git remotes is a token (https://ghp_xxx@github.com).
  [/\b((?:https?|git|ssh\+https?):\/\/)([^\s:/?#@'"]+)@/gi, (_m, scheme: string) => `${scheme}${MASK}@`],
  // Password-like URL parameters: ?password=, &sslpassword=, ?access_token=.
  [/([?&;](?:ssl)?(?:password|passwd|pwd|pass|token|access_token|secret|api_?key|key)=)[^&#\s'"]*/gi, `$1${MASK}`],
  // libpq keyword/value strings and inline assignments: host=x password=secret.
  [/(^|[\s'"(,;])((?:ssl)?password|passwd|pwd)(\s*=\s*)(?!\*\*\*)('[^'\n]*'|"[^"\n]*"|[^\s'"&;,)]+)/gi, `$1$2$3${MASK}`],
  // SQL: CREATE/ALTER ROLE … [ENCRYPTED] PASSWORD 'x' (as pg_stat_activity shows it).
  [/(\bpassword\s+)(E?'(?:[^']|'')*'|\$([A-Za-z_]*)\$[\s\S]*?\$\3\$)/gi, `$1'${MASK}'`],
  // Stored password hashes (pg_authid.rolpassword).
  [/\bSCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+/g, `SCRAM-SHA-256$${MASK}`],
  [/\bmd5[0-9a-f]{32}\b/g, `md5${MASK}`],
  // JSON / YAML / code with a quoted value: "private_key": "…", password: 'x', token = "y".
  ...assignments(SECRET_KEY, 'i'),
  // ENV-style names ending in _KEY: only upper case, so `primary_key: id` stays.
  ...assignments(ENV_KEY, ''),
  // Credential names mid-line with a bare value: `aws_secret_access_key = x`, `-p password=x`.
  [/(\b[A-Za-z0-9_]*(?:secret|passw(?:or)?d|private_key|access_key|api_key)[A-Za-z0-9_]*[ \t]*[:=][ \t]*)(?!["'\s]|\*\*\*)[^\s,;'"]+/gi, `$1${MASK}`],
  // Provider keys by their prefixes.
  [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, `sk-ant-${MASK}`],
  [/\bsk-(?:proj-|live-|test-)?[A-Za-z0-9_-]{20,}/g, `sk-${MASK}`],
  [/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}/g, MASK],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b/g, MASK],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, MASK],
  [/\bglpat-[A-Za-z0-9_-]{16,}/g, MASK],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, MASK],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, MASK],
  [/\b(?:sbp|sb_secret|npm)_[A-Za-z0-9_]{20,}/g, MASK],
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g, MASK],
  // JWTs (a Supabase service_role key is one).
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, `eyJ${MASK}`],
];

/** Words too common to mask as a literal: a password equal to one of them would be revealed by the masking. */
const COMMON = new Set(['postgres', 'postgresql', 'public', 'password', 'supabase', 'admin', 'root', 'select', 'localhost', 'default', 'secret', 'test', 'user']);

/** The secrets worth masking as literals: long enough, and not something the text mentions for other reasons. */
function maskableLiterals(options: RedactOptions): string[] {
  const open = new Set((options.publicNames ?? []).filter((n): n is string => !!n).map((n) => n.toLowerCase()));
  const out = new Set<string>();
  for (const s of options.secrets ?? []) {
    if (!s || s.length < 6) continue;
    const l = s.toLowerCase();
    if (open.has(l) || COMMON.has(l) || /^\d+$/.test(s)) continue;
    out.add(s);
    // The same secret as it appears percent-encoded in a URL.
    const enc = encodeURIComponent(s);
    if (enc !== s) out.add(enc);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Masks every credential in `text`. Idempotent: redacting redacted text changes nothing. */
export function redact(text: string, options: RedactOptions = {}): string {
  if (!text) return text;
  let out = text;
  const literals = maskableLiterals(options);
  if (literals.length) out = out.replace(new RegExp(literals.map(escapeRe).join('|'), 'g'), MASK);
  for (const [re, rep] of RULES) out = out.replace(re, rep as string);
  return out;
}

/** A redactor bound to what the caller knows (the connection's password and names); pass it down instead of options. */
export type Redactor = (text: string) => string;

export function redactor(options: RedactOptions = {}): Redactor {
  return (text) => redact(text, options);
}

/** Redacts every string inside a JSON-like value (for `--json` output and structured logs). */
export function redactDeep<T>(value: T, r: Redactor = (t) => redact(t)): T {
  if (typeof value === 'string') return r(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, r)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, r)])) as T;
  }
  return value;
}
