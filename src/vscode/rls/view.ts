/**
 * The Row Level Security view's id and node shape, apart from the tree's code: the shell registers the view at
 * activation with these alone, and the tree (with the simulator's rendering) loads with the services.
 */
import type * as vscode from 'vscode';
import type { AccessCell, TableReport } from '../../core/rls/types';

/** The view's id in package.json `contributes.views`. */
export const RLS_VIEW = 'databaseEngineer.rls';

export type RlsNode =
  | { kind: 'folder'; folder: vscode.WorkspaceFolder }
  | { kind: 'message'; text: string }
  | { kind: 'table'; folder: vscode.WorkspaceFolder; table: TableReport }
  | { kind: 'role'; folder: vscode.WorkspaceFolder; table: TableReport; role: string }
  | { kind: 'cell'; folder: vscode.WorkspaceFolder; table: TableReport; cell: AccessCell };
