/**
 * What the model receives for one user turn: the typed prompt plus the code the user attached, each piece
 * clearly delimited and labelled with where it came from, so the model can cite paths and lines.
 */

/** A piece of context attached to a prompt. Paths are as the user should see them (workspace-relative). */
export type ContextItem =
  | {
      kind: 'selection';
      path: string;
      /** 1-based, inclusive. */
      startLine: number;
      endLine: number;
      text: string;
      language?: string;
    }
  | { kind: 'file'; path: string; text: string; language?: string }
  /** Anything else the editor attached (a variable's value), under its name. */
  | { kind: 'note'; name: string; text: string };

/** A prior turn of the conversation, as plain text. */
export interface ChatTurn {
  role: 'user' | 'assistant';
  text: string;
}

/** Attached files are cut to this many characters so one huge file cannot crowd out the conversation. */
export const MAX_ATTACHED_CHARS = 60_000;

function cap(text: string, limit: number): { text: string; cut: number } {
  if (text.length <= limit) return { text, cut: 0 };
  return { text: text.slice(0, limit), cut: text.length - limit };
}

/** Attribute values are quoted; a quote or angle bracket in a path must not end the tag early. */
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function renderItem(item: ContextItem, limit: number): string {
  if (item.kind === 'note') {
    const { text, cut } = cap(item.text, limit);
    return `<context name="${attr(item.name)}">\n${text}\n${cut ? `[… ${cut} more characters not shown]\n` : ''}</context>`;
  }
  const lang = item.language ? ` language="${attr(item.language)}"` : '';
  const { text, cut } = cap(item.text, limit);
  const tail = cut ? `[… ${cut} more characters not shown]\n` : '';
  if (item.kind === 'selection') {
    const lines = item.startLine === item.endLine ? `${item.startLine}` : `${item.startLine}-${item.endLine}`;
    return `<selection path="${attr(item.path)}" lines="${lines}"${lang}>\n${text}\n${tail}</selection>`;
  }
  return `<file path="${attr(item.path)}"${lang}>\n${text}\n${tail}</file>`;
}

/**
 * The user message: the attached context first (each item in its own tag), then the request itself.
 * With nothing attached it is just the prompt.
 */
export function buildUserMessage(prompt: string, items: readonly ContextItem[] = [], limit = MAX_ATTACHED_CHARS): string {
  const request = prompt.trim();
  if (!items.length) return request;
  const asked = request || 'Review the attached context.';
  const parts = [
    'The user attached this context from their workspace:',
    ...items.map((i) => renderItem(i, limit)),
    `<request>\n${asked}\n</request>`,
  ];
  return parts.join('\n\n');
}

/** A short description of what was attached, for the chat's reference list or a log line (no content). */
export function describeContext(items: readonly ContextItem[]): string[] {
  return items.map((i) =>
    i.kind === 'selection'
      ? `${i.path}:${i.startLine}${i.endLine !== i.startLine ? `-${i.endLine}` : ''}`
      : i.kind === 'file'
        ? i.path
        : i.name,
  );
}

export interface MessageParamLike {
  role: 'user' | 'assistant';
  content: string;
}

/**
 * History plus the new user message, shaped the way the Messages API insists on: starting with a user
 * turn, roles alternating (neighbours of the same role are merged), no empty turns.
 */
export function toMessages(history: readonly ChatTurn[], userMessage: string): MessageParamLike[] {
  const out: MessageParamLike[] = [];
  for (const turn of [...history, { role: 'user' as const, text: userMessage }]) {
    const text = turn.text.trim();
    if (!text) continue;
    if (!out.length && turn.role === 'assistant') continue;
    const last = out[out.length - 1];
    if (last && last.role === turn.role) last.content = `${last.content}\n\n${text}`;
    else out.push({ role: turn.role, content: text });
  }
  return out;
}
