/**
 * What activation does: register every contribution (commands, code actions, hovers, chat participants, language
 * model tools, the rule docs documents) with handlers that reach the services through `ctx.services()`. Nothing
 * here loads them; the first use does, or `startInBackground` once activation has returned.
 */
import * as vscode from 'vscode';
import { EXPLAIN_VIEW_TYPE } from './explain/viewType';
import { COMMAND, type CommandName } from './commands';
import type { Ctx } from './ctx';
import { manifestParticipants, manifestTools } from './manifest';
import { EXPLAINABLE_FILES, KIND, OPTIMIZABLE_FILES, PRISMA_FILES, SCHEME, SQL_FILES } from './selectors';
import type { Services } from './engine';
import { RLS_VIEW, type RlsNode } from './rls/view';

export function registerContributions(ctx: Ctx): void {
  const subs = ctx.extension.subscriptions;
  const services = () => ctx.services();

  for (const [name, id] of Object.entries(COMMAND) as [CommandName, string][]) {
    subs.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      let s: Services;
      try {
        s = await services();
      } catch (err) {
        void vscode.window.showErrorMessage(`Database Engineer failed to start: ${(err as Error).message}. See the Database Engineer log.`);
        return undefined;
      }
      return s.commands[name](...args);
    }));
  }

  const actions = (key: keyof Services['codeActions']): vscode.CodeActionProvider => ({
    provideCodeActions: async (document, range, context, token) => (await services()).codeActions[key].provideCodeActions(document, range, context, token),
  });
  const hover = (key: keyof Services['hovers']): vscode.HoverProvider => ({
    provideHover: async (document, position, token) => (await services()).hovers[key].provideHover(document, position, token),
  });
  // After a window reload VS Code hands back the EXPLAIN panel it had; the services restore its plan.
  subs.push(vscode.window.registerWebviewPanelSerializer(EXPLAIN_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel, state) => (await services()).explainPanel.restorePanel(panel, state),
  }));
  subs.push(
    vscode.languages.registerCodeActionsProvider(SQL_FILES, actions('lint'), { providedCodeActionKinds: [KIND.quickFix, KIND.fixAll] }),
    // Prisma schemas: the rules' fixes (same provider), plus suppressions and the @prisma chat actions.
    vscode.languages.registerCodeActionsProvider(PRISMA_FILES, actions('lint'), { providedCodeActionKinds: [KIND.quickFix] }),
    vscode.languages.registerCodeActionsProvider(PRISMA_FILES, actions('prisma'), { providedCodeActionKinds: [KIND.quickFix, KIND.prismaChat] }),
    vscode.languages.registerCodeActionsProvider(EXPLAINABLE_FILES, actions('explain'), { providedCodeActionKinds: [KIND.explain] }),
    vscode.languages.registerCodeActionsProvider(OPTIMIZABLE_FILES, actions('optimize'), { providedCodeActionKinds: [KIND.optimize] }),
    vscode.languages.registerHoverProvider(SQL_FILES, hover('table')),
    vscode.languages.registerHoverProvider(PRISMA_FILES, hover('prismaModel')),
    vscode.workspace.registerTextDocumentContentProvider(SCHEME.ruleDocs, {
      provideTextDocumentContent: async (uri) => (await services()).diagnostics.ruleDocs(uri),
    }),
    vscode.languages.registerCodeActionsProvider(SQL_FILES, actions('rls'), { providedCodeActionKinds: [KIND.quickFix] }),
  );

  registerRls(ctx);
  registerParticipants(ctx);
  registerTools(ctx);
}

/**
 * The "Row Level Security" view and the CodeLens over policies: their change events are relayed from the services
 * once something asked them (the view opened, a migration with a policy shown), so nothing loads at activation.
 */
function registerRls(ctx: Ctx): void {
  const treeChanged = new vscode.EventEmitter<RlsNode | undefined>();
  const lensesChanged = new vscode.EventEmitter<void>();
  let relayed = false;
  const rls = async () => {
    const { rls: api } = await ctx.services();
    if (!relayed) {
      relayed = true;
      ctx.extension.subscriptions.push(api.tree.onDidChangeTreeData((n) => treeChanged.fire(n ?? undefined)), api.lenses.onDidChangeCodeLenses(() => lensesChanged.fire()));
    }
    return api;
  };
  ctx.extension.subscriptions.push(
    treeChanged, lensesChanged,
    vscode.window.registerTreeDataProvider<RlsNode>(RLS_VIEW, {
      onDidChangeTreeData: treeChanged.event,
      getChildren: async (node) => (await rls()).tree.getChildren(node),
      getTreeItem: async (node) => (await rls()).tree.getTreeItem(node),
    }),
    vscode.languages.registerCodeLensProvider(SQL_FILES, {
      onDidChangeCodeLenses: lensesChanged.event,
      provideCodeLenses: async (document) => (await rls()).lenses.provideCodeLenses(document),
    }),
  );
}

function registerParticipants(ctx: Ctx): void {
  const entries = manifestParticipants(ctx.extension);
  if (!entries.length) ctx.log.info('chat: the manifest declares no chat participants');
  if (typeof vscode.chat?.createChatParticipant !== 'function') {
    ctx.log.warn('chat: this editor has no chat API; participants are not registered');
    return;
  }
  let registered = 0;
  for (const { id } of entries) {
    try {
      const participant = vscode.chat.createChatParticipant(id, async (request, context, stream, token) => {
        const handler = (await ctx.services()).chat.handlers[id];
        return handler ? handler(request, context, stream, token) : { errorDetails: { message: `Database Engineer has no handler for ${id}.` } };
      });
      participant.followupProvider = { provideFollowups: async (result) => (await ctx.services()).chat.provideFollowups(result) };
      ctx.chatParticipants[id] = participant;
      ctx.extension.subscriptions.push(participant);
      registered++;
    } catch (err) {
      ctx.log.error(`chat: could not create participant ${id}: ${(err as Error).message}`);
    }
  }
  ctx.log.info(`chat: ${registered} participant(s) registered`);
}

function registerTools(ctx: Ctx): void {
  if (typeof vscode.lm?.registerTool !== 'function') {
    ctx.log.warn('agent tools: this editor has no vscode.lm.registerTool; the tools are not offered to other participants');
    return;
  }
  for (const name of manifestTools(ctx.extension)) {
    try {
      ctx.extension.subscriptions.push(vscode.lm.registerTool<Record<string, unknown>>(name, {
        prepareInvocation: async (options) => (await ctx.services()).lmTools.prepare(name, options),
        invoke: async (options, token) => (await ctx.services()).lmTools.invoke(name, options, token),
      }));
      ctx.languageModelTools.push(name);
    } catch (err) {
      ctx.log.error(`agent tools: could not register ${name}: ${(err as Error).message}`);
    }
  }
  ctx.log.info(`agent tools: ${ctx.languageModelTools.length} language model tool(s) registered`);
}

/**
 * After activation has returned: load the services and run the first analysis of the workspace, so diagnostics
 * appear on files never opened without the editor waiting for them.
 */
export function startInBackground(ctx: Ctx): void {
  setTimeout(() => {
    ctx.services()
      .then((s) => s.diagnostics.start())
      .catch((err) => ctx.log.error(`lint: start failed: ${(err as Error).stack ?? err}`));
  }, 0);
}
