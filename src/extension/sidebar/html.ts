/**
 * The sidebar's HTML shell. Strict CSP: nothing loads unless it comes from the extension's
 * own webview URIs, and the one script runs only with this load's nonce.
 */
import { randomBytes } from 'node:crypto';

/** A fresh nonce per HTML load, from a CSPRNG. */
export const makeNonce = (): string => randomBytes(18).toString('base64');

export interface ShellParams {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function sidebarHtml({ cspSource, nonce, scriptUri, styleUri }: ShellParams): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${styleUri}" nonce="${nonce}">
<title>Orchestrator</title>
</head>
<body>
<div id="app" data-testid="orchestrator-app" data-nonce="${nonce}"></div>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
