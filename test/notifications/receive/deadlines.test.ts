import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Deadlines, expiring as item } from "../../../src/notifications/receive/deadlines.ts";

/** An item whose expiry calls `expire`. */
function expiring(expire: () => unknown) {
  return item(() => void expire());
}

describe("Deadlines (one timer for the deadlines of one duration)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("expires each deadline once, in the order added, when its time has passed", () => {
    const deadlines = new Deadlines(100);
    const expired: string[] = [];
    deadlines.add(expiring(() => expired.push("a")));
    vi.advanceTimersByTime(40);
    deadlines.add(expiring(() => expired.push("b")));
    vi.advanceTimersByTime(59);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(["a"]);
    vi.advanceTimersByTime(39);
    expect(expired).toEqual(["a"]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(["a", "b"]);
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual(["a", "b"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never expires a cancelled deadline, and cancelling one twice or after it expired is harmless", () => {
    const deadlines = new Deadlines(50);
    const expired: number[] = [];
    const first = expiring(() => expired.push(1));
    deadlines.add(first);
    deadlines.add(expiring(() => expired.push(2)));
    deadlines.cancel(first);
    deadlines.cancel(first);
    deadlines.cancel(expiring(() => expired.push(0)));
    vi.advanceTimersByTime(50);
    expect(expired).toEqual([2]);
    const late = expiring(() => expired.push(3));
    deadlines.add(late);
    vi.advanceTimersByTime(50);
    deadlines.cancel(late);
    expect(expired).toEqual([2, 3]);
  });

  it("cancels from the head, the middle and the tail, and keeps the others in order", () => {
    const deadlines = new Deadlines(100);
    const expired: string[] = [];
    const items = Object.fromEntries(
      ["a", "b", "c", "d", "e"].map((name) => [name, expiring(() => expired.push(name))]),
    );
    for (const name of ["a", "b", "c", "d", "e"]) deadlines.add(items[name] as ReturnType<typeof expiring>);
    deadlines.cancel(items.a as ReturnType<typeof expiring>);
    deadlines.cancel(items.c as ReturnType<typeof expiring>);
    deadlines.cancel(items.e as ReturnType<typeof expiring>);
    const late = expiring(() => expired.push("late"));
    deadlines.add(late);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(["b", "d", "late"]);
    // An item can be added again once it has expired or been cancelled.
    deadlines.add(items.a as ReturnType<typeof expiring>);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(["b", "d", "late", "a"]);
  });

  it("keeps one timer for thousands of deadlines, and none once the last is gone", () => {
    const deadlines = new Deadlines(1_000);
    const expire = vi.fn();
    const added = Array.from({ length: 5_000 }, () => expiring(expire));
    for (const item of added) deadlines.add(item);
    expect(vi.getTimerCount()).toBe(1);
    for (const deadline of added) deadlines.cancel(deadline);
    // The timer fires once for the stale first deadline and finds nothing left to wait for.
    vi.advanceTimersByTime(1_000);
    expect(vi.getTimerCount()).toBe(0);
    expect(expire).not.toHaveBeenCalled();
    deadlines.add(expiring(expire));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it("re-arms for a deadline added while another expires, without a second timer", () => {
    const deadlines = new Deadlines(100);
    const expired: string[] = [];
    deadlines.add(
      expiring(() => {
        expired.push("first");
        deadlines.add(expiring(() => expired.push("added while expiring")));
      }),
    );
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(["first"]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual(["first", "added while expiring"]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("Deadlines when the timer and the clock disagree", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("trusts the timer: what it was armed for has expired even if performance.now() has not moved", () => {
    // Fake timers that leave performance.now() alone, as a test of a user's may set them up.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const deadlines = new Deadlines(10_000);
    const expire = vi.fn();
    deadlines.add(expiring(expire));
    vi.advanceTimersByTime(10_000);
    expect(expire).toHaveBeenCalledTimes(1);
  });
});

describe("Deadlines on real timers", () => {
  it("expires on time, and does not keep the process alive (its timer is unref'd)", async () => {
    const deadlines = new Deadlines(30);
    const refedTimers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = refedTimers();
    const started = performance.now();
    const expired = new Promise<number>((resolve) =>
      deadlines.add(expiring(() => resolve(performance.now()))),
    );
    expect(refedTimers()).toBe(before);
    // A ref'd timer of our own keeps this test waiting for the unref'd one.
    const keepAlive = setTimeout(() => undefined, 1_000);
    const at = await expired;
    clearTimeout(keepAlive);
    expect(at - started).toBeGreaterThanOrEqual(29);
    expect(at - started).toBeLessThan(500);
  });
});
