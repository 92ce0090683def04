/**
 * What of the host's system every Linux sandbox sees, read-only: /usr and its merged-usr links,
 * /etc without its secrets, /opt. Read once per process: the layout of / does not change.
 */
import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';

export interface SystemLayout {
  /** Bound read-only at the same path. */
  binds: string[];
  /** [target, path]: merged-usr links such as /bin -> usr/bin. */
  symlinks: Array<[string, string]>;
  /** Files of /etc hidden behind /dev/null. */
  maskedFiles: string[];
  /** Folders of /etc hidden behind an empty tmpfs. */
  maskedDirs: string[];
}

const TOP = ['/usr', '/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32', '/etc', '/opt', '/nix'];
/** /etc's secrets: password hashes, SSH host keys, TLS private keys, sudo rules. */
const ETC_SECRET_FILES = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/sudoers',
  '/etc/security/opasswd',
];
const ETC_SECRET_DIRS = [
  '/etc/ssh',
  '/etc/ssl/private',
  '/etc/sudoers.d',
  '/etc/NetworkManager/system-connections',
  '/etc/wireguard',
];

let cached: SystemLayout | undefined;

export function systemLayout(): SystemLayout {
  if (cached) return cached;
  const layout: SystemLayout = { binds: [], symlinks: [], maskedFiles: [], maskedDirs: [] };
  for (const path of TOP) {
    if (!existsSync(path)) continue;
    if (lstatSync(path).isSymbolicLink()) layout.symlinks.push([readlinkSync(path), path]);
    else layout.binds.push(path);
  }
  for (const file of ETC_SECRET_FILES) if (isKind(file, 'file')) layout.maskedFiles.push(file);
  for (const dir of ETC_SECRET_DIRS) if (isKind(dir, 'dir')) layout.maskedDirs.push(dir);
  cached = layout;
  return layout;
}

function isKind(path: string, kind: 'file' | 'dir'): boolean {
  try {
    const stat = lstatSync(path);
    return kind === 'file' ? stat.isFile() : stat.isDirectory() && statSync(path).isDirectory();
  } catch {
    return false;
  }
}
