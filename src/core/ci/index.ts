/** The CI room's door: the Action vendored into a repository and the workflows `init --github-action` and `init --ci github` write. */
export { CI_DEFAULTS } from './githubWorkflow';
export { type GithubInitReport, initGithubAction, initGithubChecks } from './initGithub';
