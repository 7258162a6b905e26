/**
 * The report for people: one matrix per table (roles × commands, each cell none/own/tenant/all/denied with the
 * deciding policy), its leaks with fixes, expectation results, and what could not be seeded. Text for terminals and
 * a static HTML page (no script; the CSP allows only its own nonce'd style).
 */
import { escapeHtml, htmlPage, newNonce } from '../html';
import { RLS_COMMANDS, type AccessCell, type Leak, type RlsReport, type TableReport } from './types';

const MARK: Record<string, string> = { none: '·', own: 'own', tenant: 'tenant', all: 'ALL', denied: 'denied' };

export function cellText(c: AccessCell): string {
  return c.rows === 'all' ? 'all' : c.rows;
}

/** "authenticated: select own rows" — the one-line summary a CodeLens or tree item shows. */
export function describeCell(c: AccessCell): string {
  const what = c.rows === 'none' ? 'no rows' : c.rows === 'denied' ? 'refused' : c.rows === 'own' ? 'own rows' : c.rows === 'tenant' ? "own tenant's rows" : 'all rows';
  return `${c.role}: ${c.command} ${what}`;
}

export function leakLine(l: Leak): string {
  const where = l.file ? ` (${l.file}${l.line ? `:${l.line}` : ''})` : '';
  return `${l.kind} — ${l.role} ${l.command}${l.policy ? `, policy "${l.policy}"` : ''}${where}: ${l.message}`;
}

export function renderText(report: RlsReport): string {
  const out: string[] = [];
  for (const t of report.tables) out.push(tableText(t), '');
  const leaks = report.tables.reduce((n, t) => n + t.leaks.length, 0);
  const failed = report.tables.flatMap((t) => t.expectations ?? []).filter((e) => !e.ok);
  if (report.seeded.problems.length) out.push('not seeded:', ...report.seeded.problems.map((p) => `  ${p}`), '');
  for (const w of report.warnings) out.push(`warning: ${w}`);
  out.push(`${report.tables.length} table${report.tables.length === 1 ? '' : 's'}, ${leaks} leak${leaks === 1 ? '' : 's'}`
    + (report.tables.some((t) => t.expectations) ? `, ${failed.length} expectation${failed.length === 1 ? '' : 's'} contradicted` : '')
    + ` (users: A ${report.seeded.users.a}, B ${report.seeded.users.b})`);
  return out.join('\n') + '\n';
}

function tableText(t: TableReport): string {
  const roles = [...new Set(t.access.map((c) => c.role))];
  const width = Math.max(14, ...roles.map((r) => r.length + 2));
  const lines = [`${t.table}${t.model ? ` (model ${t.model.name}, ${t.model.file}:${t.model.line})` : ''} — RLS ${t.rls ? 'on' : 'OFF'}`];
  lines.push(`  ${''.padEnd(width)}${RLS_COMMANDS.map((c) => c.padEnd(9)).join('')}`);
  for (const r of roles) {
    lines.push(`  ${r.padEnd(width)}${RLS_COMMANDS.map((cmd) => (MARK[t.access.find((c) => c.role === r && c.command === cmd)?.rows ?? 'none'] ?? '').padEnd(9)).join('')}`);
  }
  const decided = t.access.filter((c) => c.policies.length > 0 && c.rows !== 'none');
  for (const c of decided) lines.push(`    ${c.role} ${c.command} ${c.rows}: ${c.policies.map((p) => `"${p}"${at(t, p)}`).join(', ')}`);
  for (const l of t.leaks) {
    lines.push(`  LEAK ${leakLine(l)}`);
    lines.push(...l.fix.split('\n').map((f) => `      ${f}`));
  }
  for (const e of t.expectations ?? []) lines.push(`  ${e.ok ? 'ok  ' : 'FAIL'} ${e.message}`);
  return lines.join('\n');
}

function at(t: TableReport, policy: string): string {
  const p = t.policies?.find((x) => x.name === policy);
  return p?.file ? ` (${p.file}:${p.line})` : '';
}

/**
 * One table's matrix as HTML (every value escaped: text only), shared by the standalone report and the editor's
 * matrix webview. `actions` adds "Go to policy" and "Apply fix" buttons per leak (the webview's script posts them).
 */
export function tableHtml(t: TableReport, options: { actions?: boolean } = {}): string {
  const roles = [...new Set(t.access.map((c) => c.role))];
  const rows = roles.map((r) => `<tr><th>${escapeHtml(r)}</th>${RLS_COMMANDS.map((cmd) => {
    const c = t.access.find((x) => x.role === r && x.command === cmd);
    const leak = t.leaks.some((l) => l.role === r && l.command === cmd);
    const title = c ? `${describeCell(c)}.${c.detail ? ` ${c.detail}` : ''}` : '';
    return `<td class="${escapeHtml(c?.rows ?? 'none')}${leak ? ' leak' : ''}" title="${escapeHtml(title)}">${escapeHtml(c?.rows ?? 'none')}${c?.policies.length ? `<small>${c.policies.map(escapeHtml).join(', ')}</small>` : ''}</td>`;
  }).join('')}</tr>`).join('');
  const buttons = (l: Leak, i: number) => !options.actions ? ''
    : `${l.file ? `<button data-action="goToPolicy" data-index="${i}">Go to policy</button>` : ''}<button data-action="applyFix" data-index="${i}">Apply fix (new migration)</button>`;
  const leaks = t.leaks.map((l, i) => `<li><b>${escapeHtml(l.kind)}</b> ${escapeHtml(leakLine(l))}<pre>${escapeHtml(l.fix)}</pre>${buttons(l, i)}</li>`).join('');
  const exp = (t.expectations ?? []).map((e) => `<li class="${e.ok ? 'ok' : 'fail'}">${escapeHtml(e.message)}</li>`).join('');
  return `<section><h2>${escapeHtml(t.table)} <span>RLS ${t.rls ? 'on' : 'off'}</span></h2>
<table><tr><th></th>${RLS_COMMANDS.map((c) => `<th>${c}</th>`).join('')}</tr>${rows}</table>
${leaks ? `<h3>Leaks</h3><ul class="leaks">${leaks}</ul>` : '<p>No leak found.</p>'}${exp ? `<ul>${exp}</ul>` : ''}</section>`;
}

export function renderHtml(report: RlsReport, title = 'Row level security'): string {
  const warnings = report.warnings.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '';
  return htmlPage({
    title,
    nonce: newNonce(),
    style: `body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
td small{display:block;color:#555}td.all{background:#fde2e1}td.tenant{background:#fff4d6}td.own{background:#e3f5e1}td.denied,td.none{color:#777}
td.leak{outline:2px solid #c62828}h2 span{font-size:60%;color:#666}pre{background:#f5f5f5;padding:6px}.fail{color:#c62828}`,
    body: `<h1>${escapeHtml(title)}</h1>\n${report.tables.map((t) => tableHtml(t)).join('\n')}\n${warnings}`,
  });
}
