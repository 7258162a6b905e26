import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgentFile, parseAgent, extractExamples, idFromFileName, splitTopLevel, DEFAULT_MODEL_ALIASES } from '../../../src/core/agents';
import { tree } from './helpers';

const load = (name: string, text: string | Buffer, options = {}) => {
  const root = tree({ [name]: text });
  return loadAgentFile(join(root, name), 'workspace', options);
};

test('a Claude Code file with an unquoted description holding ": " and literal \\n loads through the fallback', () => {
  const text = [
    '---',
    'name: pg-reviewer',
    'description: Use this agent when reviewing SQL. Examples: <example>Context: The user wrote a migration.\\nuser: "Review my migration please"\\nassistant: "I will use the pg-reviewer agent"\\n<commentary>Reviews: yes</commentary></example> <example>Context: Policies\\nuser: "Check my RLS policies"\\nassistant: "Launching the agent"</example>',
    'model: opus',
    'color: green',
    '---',
    'You review SQL.',
    '',
  ].join('\n');
  const agent = load('pg-reviewer.md', text);
  assert.equal(agent.id, 'pg-reviewer');
  assert.equal(agent.model, 'opus');
  assert.equal(agent.modelId, DEFAULT_MODEL_ALIASES.opus);
  assert.equal(agent.color, 'green');
  assert.ok(agent.description.startsWith('Use this agent when reviewing SQL. Examples: <example>Context: The user wrote a migration.\nuser: "Review'));
  assert.ok(!agent.description.includes('\\n'), 'literal \\n became line breaks');
  assert.deepEqual(agent.examples, ['Review my migration please', 'Check my RLS policies']);
  assert.equal(agent.prompt, 'You review SQL.');
  assert.equal(agent.warnings.length, 1);
  assert.match(agent.warnings[0]!.message, /not valid YAML.*line by line/);
  assert.equal(agent.warnings[0]!.line, 3, 'the 1-based file line of the description');
});

test('tools as a comma-separated string keep Bash(psql:*) whole; as a YAML list too', () => {
  const a = load('a.md', '---\nname: a\ndescription: d\ntools: Read, Grep,Bash(psql:*), Bash(git diff:*, git log:*)\n---\nbody');
  assert.deepEqual(a.tools, ['Read', 'Grep', 'Bash(psql:*)', 'Bash(git diff:*, git log:*)']);
  assert.deepEqual(a.warnings, []);
  const b = load('b.md', '---\nname: b\ndescription: d\ntools:\n  - Read\n  - "Bash(psql:*)"\n---\nbody');
  assert.deepEqual(b.tools, ['Read', 'Bash(psql:*)']);
  const c = load('c.md', '---\nname: c\ndescription: d\n---\nbody');
  assert.equal(c.tools, undefined, 'absent tools means all tools');
  assert.deepEqual(splitTopLevel('**/*.{sql,prisma}, db/**'), ['**/*.{sql,prisma}', 'db/**']);
});

test('a missing name comes from the file name; names become kebab-case ids', () => {
  assert.equal(load('foo.agent.md', '---\ndescription: d\n---\nbody').id, 'foo');
  assert.equal(load('bar.chatmode.md', '---\ndescription: d\n---\nbody').id, 'bar');
  const named = load('x.md', '---\nname: Database Engineer\ndescription: d\n---\nbody');
  assert.equal(named.id, 'database-engineer');
  assert.equal(named.name, 'Database Engineer');
  assert.equal(load('y.md', '---\nname: queryPerformance_v2\ndescription: d\n---\nb').id, 'query-performance-v2');
  assert.equal(idFromFileName('/a/My Agent.md'), 'my-agent');
});

test('frontmatter systemPrompt comes first, then the body', () => {
  const a = load('p.md', '---\nname: p\ndescription: d\nsystemPrompt: |\n  You are careful.\n  Always confirm.\n---\n\n# Method\nRead first.\n');
  assert.equal(a.prompt, 'You are careful.\nAlways confirm.\n\n# Method\nRead first.');
  const only = load('q.md', '---\nname: q\ndescription: d\nsystem_prompt: Only this.\n---\n');
  assert.equal(only.prompt, 'Only this.');
  assert.deepEqual(only.warnings, []);
});

test('triggers, tags, category, role, priority, allowedDirectories and commands are read in their variants', () => {
  const a = load('t.md', [
    '---',
    'name: t',
    'description: d',
    'category: database_security',
    'role: reviewer',
    'tags: rls, audit',
    'priority: "3"',
    'allowed_directories: [supabase, prisma]',
    'triggers:',
    '  file_patterns:',
    '    - "**/*.sql"',
    '    - "**/*.{prisma,sql}"',
    '  keywords: rls, policy',
    'commands:',
    '  - name: explain',
    '    description: Explain a plan',
    '---',
    'body',
  ].join('\n'));
  assert.equal(a.category, 'database_security');
  assert.equal(a.role, 'reviewer');
  assert.deepEqual(a.tags, ['rls', 'audit']);
  assert.equal(a.priority, 3);
  assert.deepEqual(a.allowedDirectories, ['supabase', 'prisma']);
  assert.deepEqual(a.triggers, { filePatterns: ['**/*.sql', '**/*.{prisma,sql}'], keywords: ['rls', 'policy'] });
  assert.deepEqual(a.commands, [{ name: 'explain', description: 'Explain a plan' }]);
  assert.deepEqual(a.warnings, []);
  const camel = load('u.md', '---\nname: u\ndescription: d\ntriggers:\n  filePatterns: ["*.sql"]\n  keywords: [index]\npriority: high\n---\nb');
  assert.deepEqual(camel.triggers, { filePatterns: ['*.sql'], keywords: ['index'] });
  assert.equal(camel.priority, 3, 'a priority word is a valid priority');
  assert.deepEqual(camel.warnings, []);
});

test('broken YAML falls back line by line: lists, nested triggers, continuation lines and quotes survive', () => {
  const text = [
    '---',
    'name: "fallback"',
    'description: Use when: the schema changes',
    '  and more text on a continuation line',
    'model: haiku',
    'tools: [Read, Bash(psql:*)]',
    'tags:',
    '  - one',
    '  - two',
    'triggers:',
    '  file_patterns:',
    '    - "**/*.sql"',
    '  keywords: [migrate, lock]',
    'priority: 2',
    '---',
    'Prompt body.',
  ].join('\n');
  const a = load('f.md', text);
  assert.equal(a.id, 'fallback');
  assert.equal(a.description, 'Use when: the schema changes\nand more text on a continuation line');
  assert.equal(a.modelId, DEFAULT_MODEL_ALIASES.haiku);
  assert.deepEqual(a.tools, ['Read', 'Bash(psql:*)']);
  assert.deepEqual(a.tags, ['one', 'two']);
  assert.deepEqual(a.triggers, { filePatterns: ['**/*.sql'], keywords: ['migrate', 'lock'] });
  assert.equal(a.priority, 2);
  assert.equal(a.prompt, 'Prompt body.');
  assert.equal(a.warnings.length, 1);
  assert.equal(a.warnings[0]!.line, 3);
});

test('an unterminated flow list is reported at the line where YAML noticed it, and the rest still loads', () => {
  const a = load('g.md', '---\nname: g\ndescription: fine\ntools: [Read, Grep\nmodel: sonnet\n---\nbody');
  assert.equal(a.id, 'g');
  assert.equal(a.description, 'fine');
  assert.equal(a.modelId, DEFAULT_MODEL_ALIASES.sonnet);
  assert.deepEqual(a.tools, ['Read', 'Grep']);
  assert.ok(a.warnings.some((w) => /not valid YAML/.test(w.message) && typeof w.line === 'number' && w.line >= 4));
});

test('files without frontmatter, without a body, or never closed load with warnings', () => {
  const plain = load('plain.md', 'Just a prompt.\n');
  assert.equal(plain.id, 'plain');
  assert.equal(plain.prompt, 'Just a prompt.');
  assert.ok(plain.warnings.some((w) => /no frontmatter/.test(w.message) && w.line === 1));
  assert.equal(plain.loadError, undefined);
  const empty = load('empty.md', '---\nname: empty\ndescription: d\n---\n');
  assert.ok(empty.warnings.some((w) => /no system prompt/.test(w.message)));
  const open = load('open.md', '---\nname: open\ndescription: d\n');
  assert.equal(open.id, 'open');
  assert.ok(open.warnings.some((w) => /never closed/.test(w.message)));
  const crlf = load('crlf.md', '\uFEFF---\r\nname: crlf\r\ndescription: d\r\n---\r\nbody\r\n');
  assert.equal(crlf.id, 'crlf');
  assert.deepEqual(crlf.warnings, []);
});

test('binary garbage and unreadable files yield an agent with loadError and a warning, never a throw', () => {
  const garbage = load('garbage.md', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x00, 0x10, 0xc3, 0x28]));
  assert.equal(garbage.id, 'garbage');
  assert.match(garbage.loadError ?? '', /not a UTF-8 text file/);
  assert.equal(garbage.warnings.length, 1);
  const nul = load('nul.md', '---\nname: x\0\n---\n');
  assert.match(nul.loadError ?? '', /NUL/);
  const missing = loadAgentFile('/nonexistent/dir/ghost.md', 'dir');
  assert.equal(missing.id, 'ghost');
  assert.match(missing.loadError ?? '', /could not read the file \(ENOENT\)/);
  if (process.getuid?.() !== 0) {
    const root = tree({ 'locked.md': '---\nname: locked\n---\n' });
    chmodSync(join(root, 'locked.md'), 0o000);
    assert.match(loadAgentFile(join(root, 'locked.md'), 'dir').loadError ?? '', /EACCES/);
  }
});

test('model aliases: defaults, overrides, full ids pass through, foreign models fall back with a warning', () => {
  const m = (model: string | undefined, overrides = {}) =>
    parseAgent(`---\nname: m\ndescription: d\n${model ? `model: ${model}\n` : ''}---\nb`, '/x/m.md', 'dir', { modelAliases: overrides });
  assert.equal(m(undefined).modelId, DEFAULT_MODEL_ALIASES.inherit);
  assert.equal(m(undefined).model, undefined);
  assert.equal(m('inherit').modelId, DEFAULT_MODEL_ALIASES.inherit);
  assert.equal(m('Sonnet').modelId, DEFAULT_MODEL_ALIASES.sonnet);
  assert.equal(m('sonnet', { sonnet: 'claude-sonnet-4-6' }).modelId, 'claude-sonnet-4-6');
  assert.equal(m('fast', { fast: 'claude-haiku-4-5' }).modelId, 'claude-haiku-4-5');
  assert.equal(m('claude-opus-4-1-20250805').modelId, 'claude-opus-4-1-20250805');
  const foreign = m('GPT-4.1');
  assert.equal(foreign.modelId, DEFAULT_MODEL_ALIASES.inherit);
  assert.equal(foreign.model, 'GPT-4.1');
  assert.deepEqual(foreign.warnings.map((w) => w.line), [4]);
  assert.match(foreign.warnings[0]!.message, /GPT-4\.1/);
});

test('example user lines are read from multi-line, inline and unquoted example blocks', () => {
  const d = [
    'Use it for X.',
    '<example>',
    'Context: something',
    'user: "First question?"',
    'assistant: "Answer"',
    '</example>',
    '<example>Context: c user: "Second, with \\"quotes\\"" assistant: "ok"</example>',
    '<example>',
    'user: third one unquoted',
    'assistant: fine',
    '</example>',
  ].join('\n');
  assert.deepEqual(extractExamples(d), ['First question?', 'Second, with "quotes"', 'third one unquoted']);
  assert.deepEqual(extractExamples('no examples here, user: "x"'), []);
});

test('gray-matter is not allowed to hand back shared cached objects', () => {
  const text = '---\nname: same\ndescription: d\ntags: [a]\n---\nbody';
  const a = parseAgent(text, '/x/a.md', 'dir');
  a.tags.push('mutated');
  const b = parseAgent(text, '/x/b.md', 'dir');
  assert.deepEqual(b.tags, ['a']);
});

test('fallback: unindented description lines that look like keys (Examples:, user:) stay part of the description', () => {
  const a = load('multi.md', [
    '---',
    'name: multi',
    'description: Use this agent when: things happen.',
    'Examples:',
    '<example>',
    'user: "Make it fast"',
    'assistant: "ok"',
    '</example>',
    'model: sonnet',
    'color: blue',
    '---',
    'Body.',
  ].join('\n'));
  assert.equal(a.description, 'Use this agent when: things happen.\nExamples:\n<example>\nuser: "Make it fast"\nassistant: "ok"\n</example>');
  assert.deepEqual(a.examples, ['Make it fast']);
  assert.equal(a.model, 'sonnet');
  assert.equal(a.color, 'blue');
  assert.equal(a.warnings.length, 1);
  assert.equal(a.warnings[0]!.line, 3);
});

test('a `---js` frontmatter is never evaluated (gray-matter would run it as JavaScript)', () => {
  const g = globalThis as { dbePwned?: boolean };
  const a = load('js.md', '---js\n{ name: (function () { globalThis.dbePwned = true; return "x"; })() }\n---\nBody.\n');
  assert.equal(g.dbePwned, undefined);
  assert.equal(a.id, 'js');
  assert.ok(a.warnings.some((w) => /no frontmatter/.test(w.message)));
});
