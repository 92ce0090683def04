/**
 * A read that never runs twice at once: asked while one is under way, it runs once more after it
 * (a change heard mid-read may have come too late for that read), however often it was asked.
 */
export class CoalescedRead {
  private reading: Promise<void> | undefined;
  private again = false;

  constructor(private readonly read: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.read().finally(() => {
      this.reading = undefined;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    });
    return this.reading;
  }
}
