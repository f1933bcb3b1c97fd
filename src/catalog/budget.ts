import { SourceError } from '../errors/source.js';
import type { UpstreamBudget } from '../http/types.js';

/**
 * A request's allowance of real upstream calls (`MAX_UPSTREAM_CALLS_PER_REQUEST`). Cache hits
 * are free; every network attempt, retries included, spends one. Once it is spent the remaining
 * fields fail with BUDGET_EXCEEDED and the rest of the answer is still returned.
 */
export class RequestBudget implements UpstreamBudget {
  private spent = 0;

  constructor(readonly limit: number) {}

  spend(source: string): void {
    if (this.spent >= this.limit) {
      throw new SourceError(source, 'BUDGET_EXCEEDED', `this request's budget of ${this.limit} upstream calls is spent`);
    }
    this.spent += 1;
  }
}
