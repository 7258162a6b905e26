/**
 * The shape every agent tool has, and what a tool may reach. Tools are plain modules (one per file): the chat loop,
 * `dbe ask` and `dbe mcp` all run the same `Tool.run`, so a tool's behaviour is written and tested once.
 */
import type { Logger } from '../log';
import type { RlsReport } from '../rls/types';
import type { Project } from '../workspace/project';

/** A JSON Schema object for a tool's input (what the Messages API and MCP both take). */
export interface JsonSchema {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties?: boolean;
}

/** What a tool hands back to the model. Failures are results with `isError`, never throws. */
export interface ToolResult {
  content: string;
  isError?: boolean;
  /** One line for people (CLI stderr, the chat's progress), e.g. "3 findings in 2 files". */
  summary?: string;
  /** For UIs, never sent to the model: the EXPLAIN JSON `explain_query` got, so the editor can show that very plan. */
  plan?: unknown;
}

/** Something a tool wants to do that changes or executes more than reading: the user must agree. */
export interface ConfirmAction {
  tool: string;
  /** One line: what will happen ("Run EXPLAIN ANALYZE of an UPDATE on prod (rolled back)"). */
  title: string;
  /** The statement or details to show. */
  detail?: string;
}

/** A migration the agent proposes. Nothing is written: the user saves it (the editor offers a button). */
export interface MigrationProposal {
  /** Workspace-relative path it would be saved at, named like its siblings. */
  path: string;
  /** Absolute path of the same. */
  absPath: string;
  name: string;
  sql: string;
  description?: string;
  /** The analyzer's findings on the migration, applied after the existing ones (`file:line:col severity [rule] message`). */
  findings: string[];
  /**
   * What the embedded database made of it, applied to a throwaway copy of it: `line: message` for each statement
   * PostgreSQL refused (empty: every statement ran). Absent when it was not tried (a live connection is active).
   */
  refused?: string[];
}

export interface ToolContext {
  /**
   * The project the tools work on: its root (files outside it are never read), its config and migrations, its
   * analyzer, and its database (live, embedded, or none: tools then fall back to the migrations' model).
   */
  project: Project;
  /** The agent's `allowedDirectories` (relative to root, or absolute inside it); undefined = the whole workspace. */
  allowedDirectories?: string[];
  /** Asks the user to allow an action; absent means "no one to ask": such actions are refused. */
  confirm?(action: ConfirmAction): Promise<boolean>;
  /** Token budget of one tool result (about 4 characters a token). Default 6000. */
  maxResultTokens?: number;
  /** Rows `run_query` returns at most. Default 100. */
  rowLimit?: number;
  /** statement_timeout of `run_query` and EXPLAIN ANALYZE, ms. Default 15 000. */
  statementTimeoutMs?: number;
  /** Receives each migration `propose_migration` proposes (the editor offers to save it). */
  onProposal?(proposal: MigrationProposal): void;
  /**
   * The project's whole RLS report when the face already computes it out of process (the editor runs `dbe rls` in a
   * child, so seconds of PGlite never block its extension host). Absent: `check_rls` simulates in this process.
   */
  rlsReport?(): Promise<RlsReport>;
  log?: Logger;
}

export interface Tool<I = Record<string, unknown>> {
  name: string;
  /** For the model: what it does and when to use it. */
  description: string;
  inputSchema: JsonSchema;
  /** True when the tool never changes anything anywhere (every tool here is; a writer would need `confirm`). */
  readOnly: boolean;
  /** A progress line shown while it runs ("Explaining the query on the embedded database…"). */
  progress(input: I, ctx: ToolContext): string;
  run(input: I, ctx: ToolContext, signal: AbortSignal): Promise<ToolResult>;
}

/** For UIs: a tool starting, and ending with a one-line summary. */
export interface ToolCallEvent {
  id: string;
  name: string;
  input: unknown;
  status: 'start' | 'end';
  /** At start: the progress line. At end: the result's one-line summary. */
  summary: string;
  isError?: boolean;
  /** At end: the result's plan (see ToolResult.plan). */
  plan?: unknown;
}

export const DEFAULT_RESULT_TOKENS = 6000;
export const CHARS_PER_TOKEN = 4;

/** A tool failure the model can read. */
export const toolError = (content: string, summary?: string): ToolResult => ({ content, isError: true, summary: summary ?? content.split('\n')[0]!.slice(0, 120) });
