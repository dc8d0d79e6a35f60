// How many of something each client address holds at once (requests in flight, open streams), capped per address.
export class ClientSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly perClient: number) {}

  /** Takes a slot for `client`; false when it holds all it may. */
  take(client: string): boolean {
    const n = this.held.get(client) ?? 0;
    if (n >= this.perClient) return false;
    this.held.set(client, n + 1);
    return true;
  }

  give(client: string): void {
    const n = this.held.get(client) ?? 0;
    if (n <= 1) this.held.delete(client);
    else this.held.set(client, n - 1);
  }
}
