/**
 * Identical concurrent upstream calls (25 tracks by one artist) share one request. Each caller
 * joins with its own abort signal: a caller that goes away stops waiting at once, and the shared
 * request is cancelled only when no caller is left waiting for it.
 */
export class Flights<T> {
  private readonly flights = new Map<string, { result: Promise<T>; controller: AbortController; waiting: number }>();

  /**
   * The result of the call running under `key`, starting it when none is. `onAbort` builds the
   * error a caller whose signal aborts gets. `started` tells whether this caller started the call.
   */
  join(key: string, signal: AbortSignal, start: (signal: AbortSignal) => Promise<T>, onAbort: () => Error): { result: Promise<T>; started: boolean } {
    if (signal.aborted) return { result: Promise.reject(onAbort()), started: false };
    let flight = this.flights.get(key);
    const started = !flight;
    if (!flight) {
      const controller = new AbortController();
      const entry = { result: undefined as unknown as Promise<T>, controller, waiting: 0 };
      entry.result = start(controller.signal).finally(() => {
        if (this.flights.get(key) === entry) this.flights.delete(key);
      });
      // Nobody may be left to observe a failure of a call everyone walked away from.
      entry.result.catch(() => undefined);
      this.flights.set(key, entry);
      flight = entry;
    }
    const current = flight;
    current.waiting += 1;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      current.waiting -= 1;
      if (current.waiting === 0) {
        current.controller.abort(signal.reason);
        if (this.flights.get(key) === current) this.flights.delete(key);
      }
    };
    const result = new Promise<T>((resolve, reject) => {
      const onAbortSignal = () => {
        leave();
        reject(onAbort());
      };
      signal.addEventListener('abort', onAbortSignal, { once: true });
      current.result.then(
        (value) => {
          signal.removeEventListener('abort', onAbortSignal);
          left = true;
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbortSignal);
          left = true;
          reject(error);
        },
      );
    });
    return { result, started };
  }
}
