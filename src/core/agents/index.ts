export * from './types';
export { loadAgentFile, parseAgent, extractExamples, idFromFileName, toKebab, type LoadOptions } from './load';
export { parseFrontmatter, splitFrontmatter } from './frontmatter';
export { splitTopLevel } from './loose-yaml';
export { DEFAULT_MODEL_ALIASES, resolveModel, mergeAliases, type ModelAliases } from './models';
export { agentFolders, listAgentFiles, loadCatalog, buildCatalog, PARTICIPANT_PREFIX, type AgentFolder, type DiscoveryOptions } from './catalog';
export { chatParticipantsFor, agentSummary, manifestWithParticipants, type ChatParticipantContribution } from './manifest';
export { findBundledAgentsDir } from './bundled';
export { suggestAgents, matchTriggers, matchesFilePattern, containsWord, type TriggerContext, type TriggerMatch, type AgentSuggestion } from './triggers';
