/**
 * Folders whose new subfolders ext4 spreads over its block groups (issue 63): the worktrees' folder,
 * the commands' private folders, the runs' state folder. ext4 without a journal (many cloud VMs'
 * disks, this development machine's) does not reuse an inode freed in the last 5 s (305 s while its
 * inode table block is dirty): a new file's allocation walks past each such inode of its folder's
 * group. Folders made and removed in one parent all land in that parent's group, so every checkout
 * was slower than the one before: twenty 50-file trees took 0.55–1.05 s there, 50 ms under a parent
 * with the "top of a directory hierarchy" attribute (`chattr +T`), whose subfolders the allocator
 * places in the groups with the most free inodes. Best effort: another file system, another system,
 * no `chattr` or no permission leave an ordinary folder.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

const marked = new Map<string, Promise<void>>();
let chattrPath: string | null | undefined;

/** e2fsprogs' chattr, looked up once; null where there is none (or the system is not Linux). */
function chattr(): string | null {
  chattrPath ??=
    process.platform === 'linux' ? (['/usr/bin/chattr', '/bin/chattr'].find((path) => existsSync(path)) ?? null) : null;
  return chattrPath;
}

/** Gives the existing folder `dir` the attribute, once per folder in this process; never fails. */
export function spreadSubfolders(dir: string): Promise<void> {
  let marking = marked.get(dir);
  if (!marking) {
    marking = mark(dir);
    marked.set(dir, marking);
  }
  return marking;
}

function mark(dir: string): Promise<void> {
  const program = chattr();
  if (!program) return Promise.resolve();
  return new Promise<void>((resolve) => {
    // Bounded: a file system that hangs on it (a remote one) keeps the first worktree waiting no longer.
    execFile(program, ['+T', dir], { timeout: 2000 }, () => resolve());
  });
}
