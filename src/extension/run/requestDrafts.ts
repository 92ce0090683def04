/**
 * What the user typed for a run that did not start (no key yet, the offer dismissed, the demo
 * tried first): kept per folder and kind for this window, so the next New Feature or New Bugfix
 * starts with it instead of an empty box. Taken once.
 */
export class RequestDrafts {
  private readonly drafts = new Map<string, string>();

  keep(workspace: string, kind: string, text: string): void {
    if (text.trim()) this.drafts.set(`${kind}\n${workspace}`, text);
  }

  take(workspace: string, kind: string): string | undefined {
    const key = `${kind}\n${workspace}`;
    const text = this.drafts.get(key);
    this.drafts.delete(key);
    return text;
  }
}
