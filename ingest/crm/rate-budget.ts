/**
 * A client-side request budget: at most `max` requests in any rolling `windowMs` (HubSpot counts
 * per 10 seconds per app). `take()` waits until a request fits.
 */
export class RateBudget {
  private readonly stamps: number[] = [];
  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly clock: () => number = () => Date.now(),
  ) {
    if (max < 1 || windowMs < 1) throw new Error("rate budget must allow at least one request per window");
  }
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock();
      while (this.stamps.length && this.stamps[0]! <= now - this.windowMs) this.stamps.shift();
      if (this.stamps.length < this.max) {
        this.stamps.push(now);
        return;
      }
      await sleep(this.stamps[0]! + this.windowMs - now + 1);
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
