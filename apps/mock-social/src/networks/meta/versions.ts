/** The Graph API versions the mock answers under (a client pins one; v21.0 is the one Herald's contract names). */
export const GRAPH_VERSIONS = ['v19.0', 'v20.0', 'v21.0', 'v22.0', 'v23.0', 'v24.0', 'v25.0'] as const;
