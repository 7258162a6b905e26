/** The EXPLAIN panel's webview type: the shell registers its serializer at activation, the services create it. */
export const EXPLAIN_VIEW_TYPE = 'databaseEngineer.explain';
