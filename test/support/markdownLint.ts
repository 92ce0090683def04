// markdownlint's MD041 as a repository's own check script (issue 70): every Markdown file of the
// tree (not node_modules, .git, nor the gitignored run folders) starts with a top-level heading,
// each one that does not printed as markdownlint prints it. A check our spec.md (front matter
// first) fails however it is formatted.
export const LINT_MARKDOWN = `import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let failed = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", ".git", "runs"].includes(entry.name)) continue;
    const path = dir === "." ? entry.name : join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (path.endsWith(".md") && !readFileSync(path, "utf8").startsWith("# ")) {
      console.log(\`\${path}:1 MD041/first-line-heading/first-line-h1 First line in a file should be a top-level heading\`);
      failed++;
    }
  }
};
walk(".");
process.exit(failed > 0 ? 1 : 0);
`;
