/**
 * The port between the media rules (turn-media.ts) and whatever downloads a turn's media (the Twilio adapter, or a
 * fake in tests). A fetch never throws for an ordinary failure: it says what happened, and the rules describe it to
 * the model. No variant carries text from the wire, so nothing secret can travel through it.
 */

export type FetchedMedia =
  | { kind: "fetched"; data: Uint8Array }
  /** Larger than the cap; `bytes` when the server announced the size (Content-Length), else the read stopped early. */
  | { kind: "too-large"; bytes?: number }
  | { kind: "http-error"; status: number }
  | { kind: "failed"; reason: MediaFetchFailure };

/**
 * timeout: took longer than allowed; network: the connection failed; refused: not a Twilio media URL of this account
 * (nothing was sent); redirect: a redirect without a usable Location, to a plain-http host, or too many of them;
 * credentials: the auth token could not be read; unexpected: the fetcher threw after all (the rules catch it).
 */
export type MediaFetchFailure = "timeout" | "network" | "refused" | "redirect" | "credentials" | "unexpected";

/** Downloads one media URL, reading at most `maxBytes` of its content. */
export type MediaFetcher = (url: string, options: { maxBytes: number }) => Promise<FetchedMedia>;
