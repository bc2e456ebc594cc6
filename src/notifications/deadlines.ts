/** One pending deadline of a {@link Deadlines} queue; pass it to `cancel` once the work is done. */
export interface Deadline {
  /** When it expires, in `performance.now()` milliseconds. */
  readonly at: number;
  /** Called once if the deadline passes before it is cancelled. */
  readonly expire: () => void;
}

/**
 * Deadlines that all run for the same time (a handler's `bodyTimeoutMs` or `callbackTimeoutMs`),
 * served by one timer instead of one per request. Arming and clearing a Node timer for every
 * request (a timer list created and dropped, the event loop's timer re-armed, its ref count toggled)
 * cost the Node path about an eighth of its throughput (issue 14). With one duration, deadlines
 * expire in the order they were added, so an insertion-ordered `Set` is the queue: adding and
 * cancelling are O(1), and the one timer, armed for the oldest deadline, re-arms itself for the
 * next when it fires. It is unref'd: the sockets the deadlines guard keep the process alive.
 */
export class Deadlines {
  /** How long each deadline runs, in ms. */
  readonly ms: number;
  readonly #pending = new Set<Deadline>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The deadline the armed timer was set for. */
  #armedFor = 0;

  /** Deadlines `ms` after they are added. */
  constructor(ms: number) {
    this.ms = ms;
  }

  /** Calls `expire` (which must not throw) once `ms` from now unless the returned deadline is cancelled first. */
  add(expire: () => void): Deadline {
    const deadline: Deadline = { at: performance.now() + this.ms, expire };
    this.#pending.add(deadline);
    if (this.#timer === undefined) this.#arm(deadline.at, this.ms);
    return deadline;
  }

  /** Forgets a deadline (its work is done); a deadline that has already expired is ignored. */
  cancel(deadline: Deadline | undefined): void {
    if (deadline !== undefined) this.#pending.delete(deadline);
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
    for (const deadline of this.#pending) {
      if (deadline.at > due) {
        this.#arm(deadline.at, deadline.at - now);
        return;
      }
      this.#pending.delete(deadline);
      deadline.expire();
    }
  }
}
