// The Insiders build's manifest (issue 38): what it adds to package.json to use VS Code's proposed
// APIs. The Marketplace build (the default of scripts/build.mjs and scripts/package.mjs) declares
// no proposal: VS Code stable refuses an extension that does. The Insiders build is
// `node scripts/build.mjs --insiders` (the extension's ORCH_PROPOSED_API is true) with this
// manifest (`node scripts/package.mjs --insiders`); the chat sessions list also needs the setting
// `orchestrator.chat.sessions`.

/** The proposals the Insiders build uses: the agent sessions list, and the `#orchestrator` tool set. */
export const PROPOSALS = ['chatSessionsProvider', 'contribLanguageModelToolSets'];

/** package.json's manifest with the Insiders build's additions (a copy; the input is untouched). */
export function insidersManifest(manifest) {
  const tools = (manifest.contributes.languageModelTools ?? []).map((t) => t.name);
  return {
    ...manifest,
    enabledApiProposals: PROPOSALS,
    contributes: {
      ...manifest.contributes,
      chatSessions: [
        {
          type: 'orchestrator-run',
          name: 'orchestrator-runs',
          displayName: 'Orchestrator',
          description: 'Orchestrator runs of this workspace: local, in a worktree or pooled',
          when: 'config.orchestrator.chat.sessions',
        },
      ],
      languageModelToolSets: [
        {
          name: 'orchestrator',
          description:
            'Start Orchestrator features and bugfixes (a person approves their spec), follow runs, list and verify specs',
          icon: '$(workflow)',
          tools,
        },
      ],
    },
  };
}
