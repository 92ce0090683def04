/** The CI room's door: the GitHub Actions workflow init --ci writes. */
export { CI_DEFAULTS, writeGithubWorkflow } from './githubWorkflow';
