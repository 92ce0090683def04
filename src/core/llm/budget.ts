/** The hard cost cap: once the limit is reached no further model call may start. */
export class Budget {
  private spent = 0;

  constructor(readonly limitUsd: number, alreadySpentUsd = 0) {
    this.spent = alreadySpentUsd;
  }

  get spentUsd(): number {
    return this.spent;
  }

  canStart(): boolean {
    return this.spent < this.limitUsd;
  }

  charge(usd: number): void {
    this.spent += usd;
  }
}
