/**
 * What a {@link Deadlines} queue holds: told once if its deadline passes before it is cancelled.
 * The queue links its items through the fields below, so adding one allocates nothing; an item is
 * in at most one queue at a time.
 */
export interface Expiring {
  /** Called once when the deadline has passed; must not throw. */
  expire(): void;
  /** When the deadline passes, in `performance.now()` ms; set by the queue. */
  deadlineAt?: number | undefined;
  /** The queue's links; set by the queue. */
  previousExpiring?: Expiring | undefined;
  nextExpiring?: Expiring | undefined;
}

/** An item for a {@link Deadlines} queue, created with every field the queue sets (one object shape). */
export function expiring(expire: () => void): Expiring {
  return { expire, deadlineAt: undefined, previousExpiring: undefined, nextExpiring: undefined };
}

/**
 * Deadlines that all run for the same time (a handler's `bodyTimeoutMs` or `callbackTimeoutMs`),
 * served by one timer instead of one per request. Arming and clearing a Node timer for every
 * request (a timer list created and dropped, the event loop's timer re-armed, its ref count toggled)
 * cost the Node path a share of its throughput. With one duration, deadlines
 * expire in the order they were added, so the queue is a doubly linked list through the items
 * themselves (no hashing, no allocation): adding at the tail and cancelling are O(1), and the one
 * timer, armed for the oldest deadline, re-arms itself for the next when it fires. It is unref'd:
 * the sockets the deadlines guard keep the process alive.
 */
export class Deadlines {
  /** How long each deadline runs, in ms. */
  readonly ms: number;
  #head: Expiring | undefined;
  #tail: Expiring | undefined;
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
    item.deadlineAt = at;
    item.previousExpiring = this.#tail;
    item.nextExpiring = undefined;
    if (this.#tail) this.#tail.nextExpiring = item;
    else this.#head = item;
    this.#tail = item;
    if (this.#timer === undefined) this.#arm(at, this.ms);
  }

  /** Forgets an item's deadline (its work is done); an item not pending is ignored. */
  cancel(item: Expiring): void {
    if (item.deadlineAt === undefined) return;
    const { previousExpiring: previous, nextExpiring: next } = item;
    if (previous) previous.nextExpiring = next;
    else this.#head = next;
    if (next) next.previousExpiring = previous;
    else this.#tail = previous;
    item.deadlineAt = item.previousExpiring = item.nextExpiring = undefined;
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
    for (let item = this.#head; item !== undefined; item = this.#head) {
      const at = item.deadlineAt as number;
      if (at > due) {
        this.#arm(at, at - now);
        return;
      }
      this.cancel(item);
      item.expire();
    }
  }
}
