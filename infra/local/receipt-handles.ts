/**
 * Which message each live receipt handle names. SQS deletes by receipt handle, the journal by message id; a message
 * received again gets a new handle and its old one stops naming it.
 */
export class ReceiptHandles {
  private readonly idByHandle = new Map<string, string>();
  private readonly handleById = new Map<string, string>();

  received(id: string, handle: string): void {
    const previous = this.handleById.get(id);
    if (previous !== undefined) this.idByHandle.delete(previous);
    this.idByHandle.set(handle, id);
    this.handleById.set(id, handle);
  }

  /** The message a delete names, forgotten from now on (undefined: unknown or stale handle). */
  take(handle: string): string | undefined {
    const id = this.idByHandle.get(handle);
    if (id !== undefined) this.forget(id);
    return id;
  }

  forget(id: string): void {
    const handle = this.handleById.get(id);
    if (handle !== undefined) this.idByHandle.delete(handle);
    this.handleById.delete(id);
  }
}
