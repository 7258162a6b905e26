import { ruleMeta } from '../analysis';

/**
 * The page a diagnostic's rule link opens: the rule's own docs plus how to configure or silence it.
 * Undefined for an unknown id.
 */
export function ruleDocsMarkdown(id: string): string | undefined {
  const meta = ruleMeta(id);
  if (!meta) return undefined;
  const body = meta.docs.trim().startsWith('#') ? meta.docs.trim() : `## ${id}\n\n${meta.docs.trim()}`;
  return [
    body,
    '',
    '---',
    '',
    `**Rule** \`${id}\` · category ${meta.category} · default severity ${meta.severity}`,
    '',
    `**Configure** in \`.dbe.json\`: \`{ "rules": { "${id}": "warning" } }\` (or \`"off"\`), or the`,
    ...(meta.category === 'prisma'
      ? [`\`databaseEngineer.lint.rules\` setting. **Silence one model or field** with \`// dbe-ignore ${id}\` on the line`, `above it, a whole .prisma file with \`// dbe-ignore-file ${id}\`.`]
      : [`\`databaseEngineer.lint.rules\` setting. **Silence one statement** with \`-- dbe-ignore ${id}\` on the line`, `above it, a whole file with \`-- dbe-ignore-file ${id}\`.`]),
    '',
  ].join('\n');
}
