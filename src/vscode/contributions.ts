/**
 * What activation does: register every contribution (commands, code actions, hovers, chat participants, language
 * model tools, the rule docs documents) with handlers that reach the services through `ctx.services()`. Nothing
 * here loads them; the first use does, or `startInBackground` once activation has returned.
 */
import * as vscode from 'vscode';
import { COMMAND, type CommandName } from './commands';
import type { Ctx } from './ctx';
import { manifestParticipants, manifestTools } from './manifest';
import { EXPLAINABLE_FILES, KIND, OPTIMIZABLE_FILES, PRISMA_FILES, SCHEME, SQL_FILES } from './selectors';
import type { Services } from './engine';

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
  );

  registerParticipants(ctx);
  registerTools(ctx);
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
