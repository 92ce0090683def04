/**
 * Well-known GitHub Actions that check code with no `run:` line, as the command each runs:
 * r-lib's `check-r-package` (rcmdcheck, failing on a warning), `julia-runtest` (`Pkg.test()`),
 * `golangci-lint-action` (`golangci-lint run` in its `working-directory`) and `buf-lint-action`
 * (`buf lint <input>`). An action used only to install its tool (`args: --help`, `install-only`)
 * checks nothing.
 */

export interface ActionCommand {
  command: string;
  /** The action's `working-directory` input, as written (repository-relative, unexpanded). */
  dir?: string;
}

/** A value a shell word holds as it is (`--timeout=5m`, `proto/`). */
const PLAIN = /^[\w@%+=:,./-]+$/;

export function actionCommand(uses: string, inputs: Record<string, string>): ActionCommand | undefined {
  const action = uses.replace(/@.*$/, '');
  const dir = inputs['working-directory'];
  const at = (command: string, folder = dir): ActionCommand => ({ command, ...(folder ? { dir: folder } : {}) });
  switch (action) {
    case 'r-lib/actions/check-r-package': {
      // Its defaults: `args: c("--no-manual", "--as-cran")`, `error-on: "warning"`; R values go inside single quotes.
      const args = inputs.args ?? 'c("--no-manual", "--as-cran")';
      const errorOn = inputs['error-on'] ?? '"warning"';
      const build = inputs.build_args;
      if ([args, errorOn, build ?? ''].some((v) => v.includes("'") || v.includes('\n'))) return undefined;
      return at(
        `Rscript -e 'rcmdcheck::rcmdcheck(args = ${args}${build ? `, build_args = ${build}` : ''}, error_on = ${errorOn})'`,
      );
    }
    case 'julia-actions/julia-runtest':
      return at(`julia --project -e 'using Pkg; Pkg.test()'`, inputs.project);
    case 'golangci/golangci-lint-action': {
      if (/^true$/i.test(inputs['install-only'] ?? '')) return undefined;
      const args = (inputs.args ?? '').split(/\s+/).filter(Boolean);
      if (args.some((a) => /^(--help|-h|--version)$/.test(a)) || !args.every((a) => PLAIN.test(a))) return undefined;
      return at(['golangci-lint run', ...args].join(' '));
    }
    case 'bufbuild/buf-lint-action': {
      const input = inputs.input;
      if (input !== undefined && !PLAIN.test(input)) return undefined;
      return at(input ? `buf lint ${input}` : 'buf lint', undefined);
    }
  }
  return undefined;
}
