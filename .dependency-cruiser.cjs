// The architecture rules (docs/architecture.md), checked by test/core/architecture.test.ts in `npm test`
// and by hand with `npx depcruise src`. Type-only imports count: a cycle through types is still a cycle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-without-vscode',
      comment: 'src/core runs in the CLI and the MCP server too: only src/vscode may import the editor API.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^vscode$' },
    },
    {
      name: 'no-cycles',
      comment: 'Modules form layers that read one way; a cycle (type-only imports included) joins two layers into one.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'sql-at-the-bottom',
      comment: 'src/core/sql (splitting, parsing, positions) is the base every other core folder stands on.',
      severity: 'error',
      from: { path: '^src/core/sql/' },
      to: { path: '^src/core/', pathNot: '^src/core/sql/' },
    },
    {
      name: 'sql-and-prisma-rules-apart',
      comment: 'The SQL and the Prisma rules share core/findings; what combines them is core/analysis, above both.',
      severity: 'error',
      from: { path: '^src/core/(lint|prisma)/' },
      to: { path: '^src/core/(lint|prisma)/', pathNot: '^src/core/$1/' },
    },
    {
      name: 'faces-apart',
      comment: 'The editor, the CLI and the webview share core, never each other.',
      severity: 'error',
      from: { path: '^src/(vscode|cli|webview)/' },
      to: { path: '^src/(vscode|cli|webview)/', pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // `vscode` resolves to nothing on disk (the editor provides it); keep it as a named core module.
    builtInModules: { add: ['vscode'] },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
