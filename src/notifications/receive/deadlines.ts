/** What a {@link Deadlines} queue holds, linked through its own fields so adding one allocates nothing. */
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
 * Deadlines of one duration served by one unref'd timer, since a timer per request costs the Node path
 * throughput; they expire in the order added, so a linked list through the items makes add and cancel O(1).
 */
export class Deadlines {
  readonly ms: number;
  #head: Expiring | undefined;
  #tail: Expiring | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The expiry the armed timer was set for. */
  #armedFor = 0;

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

  /** Expires what is due (by the armed time too, as fake timers move the timer, not the clock) and re-arms. */
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
