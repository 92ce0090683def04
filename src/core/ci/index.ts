/** The CI room's door: the Action vendored into a repository and the workflows `init --github-action` and `init --ci github` write. */
export { CI_DEFAULTS } from './githubWorkflow';
export { type GithubInitReport, initGithubAction, initGithubChecks, type IgnoresConsent } from './initGithub';
export { type IgnoreEdit, type IgnoreProposal } from './vendoredIgnores';
export { type ActionTree, writeActionTree } from './vendorAction';
