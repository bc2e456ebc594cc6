/** What a {@link Deadlines} queue holds: told once if its deadline passes before it is cancelled. */
export interface Expiring {
  /** Called once when the deadline has passed; must not throw. */
  expire(): void;
}

/**
 * Deadlines that all run for the same time (a handler's `bodyTimeoutMs` or `callbackTimeoutMs`),
 * served by one timer instead of one per request. Arming and clearing a Node timer for every
 * request (a timer list created and dropped, the event loop's timer re-armed, its ref count toggled)
 * cost the Node path about an eighth of its throughput (issue 14). With one duration, deadlines
 * expire in the order they were added, so an insertion-ordered `Map` (item to expiry time) is the
 * queue: adding and cancelling are O(1), and the one timer, armed for the oldest deadline, re-arms
 * itself for the next when it fires. It is unref'd: the sockets the deadlines guard keep the process
 * alive. The items are the callers' own objects, so a deadline allocates nothing of its own.
 */
export class Deadlines {
  /** How long each deadline runs, in ms. */
  readonly ms: number;
  /** Pending items and when they expire, in `performance.now()` ms, oldest first. */
  readonly #pending = new Map<Expiring, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The expiry the armed timer was set for. */
  #armedFor = 0;

  /** Deadlines `ms` after they are added. */
  constructor(ms: number) {
    this.ms = ms;
  }

  /** Expires `item` `ms` from now unless it is cancelled first. Add an item once until it expires or is cancelled. */
  add(item: Expiring): void {
    const at = performance.now() + this.ms;
    this.#pending.set(item, at);
    if (this.#timer === undefined) this.#arm(at, this.ms);
  }

  /** Forgets an item's deadline (its work is done); an item not pending is ignored. */
  cancel(item: Expiring): void {
    this.#pending.delete(item);
  }

  #arm(at: number, delay: number): void {
    // An `expire` that added a deadline mid-sweep armed a timer already.
    clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#sweep(), Math.max(1, Math.ceil(delay)));
    this.#timer.unref();
  }

  /**
   * Expires what is due and re-arms for the oldest deadline left. A deadline at or before the one
   * the timer was armed for is due even if `performance.now()` disagrees (fake timers in a test
   * move the timer, not the clock).
   */
  #sweep(): void {
    this.#timer = undefined;
    const now = performance.now();
    const due = Math.max(now, this.#armedFor);
    for (const [item, at] of this.#pending) {
      if (at > due) {
        this.#arm(at, at - now);
        return;
      }
      this.#pending.delete(item);
      item.expire();
    }
  }
}
