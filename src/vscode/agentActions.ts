/** Issue 5's editor side beyond the chat handler: answer actions, the tools as languageModelTools, Optimize Query. */
import type { Feature } from './feature';
import { registerAnswerActions } from './answerActions';
import { registerLanguageModelTools } from './lmTools';
import { registerOptimizeQuery } from './optimizeQuery';

export const agentActionsFeature: Feature = {
  name: 'agent actions',
  register(ctx) {
    const actions = registerAnswerActions(ctx);
    ctx.api['answerActions'] = actions;
    ctx.api['languageModelTools'] = registerLanguageModelTools(ctx);
    registerOptimizeQuery(ctx, actions);
  },
};
