/** The bounded watch history: a ring of store events in resourceVersion order. */
import type { StoreEvent } from './store';

/** Bounded ring of events in resourceVersion order. */
export class EventHistory {
  private readonly buffer: (StoreEvent | undefined)[];
  private head = 0;
  private length = 0;
  /** Events with rv > floor are all present. */
  floor: number;

  constructor(
    private readonly capacity: number,
    floor: number,
  ) {
    this.buffer = new Array<StoreEvent | undefined>(Math.max(1, capacity));
    this.floor = floor;
  }

  push(event: StoreEvent): void {
    if (this.capacity <= 0) {
      this.floor = event.rv;
      return;
    }
    if (this.length === this.capacity) {
      const evicted = this.buffer[this.head];
      if (evicted) this.floor = evicted.rv;
      this.buffer[this.head] = event;
      this.head = (this.head + 1) % this.capacity;
    } else {
      this.buffer[(this.head + this.length) % this.capacity] = event;
      this.length++;
    }
  }

  private at(i: number): StoreEvent | undefined {
    return this.buffer[(this.head + i) % this.capacity];
  }

  /** Events after `rv`, or undefined when some of them are no longer kept. */
  since(rv: number): StoreEvent[] | undefined {
    if (rv < this.floor) return undefined;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.at(mid)?.rv ?? 0) <= rv) lo = mid + 1;
      else hi = mid;
    }
    const out: StoreEvent[] = [];
    for (let i = lo; i < this.length; i++) {
      const e = this.at(i);
      if (e) out.push(e);
    }
    return out;
  }

  clear(floor: number): void {
    this.buffer.fill(undefined);
    this.head = 0;
    this.length = 0;
    this.floor = floor;
  }
}
