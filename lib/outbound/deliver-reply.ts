import { maskPhone } from "../access/phone.ts";
import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";
import type { Log } from "../log/log.ts";
import type { Reply } from "../queue/messages.ts";
import type { OptOutStore } from "../store/opt-out-store.ts";
import type { ReplyProgress, ReplyStore } from "../store/reply-store.ts";
import { renderSmsBodies } from "../text/index.ts";
import { TwilioApiError, TwilioTimeoutError } from "../twilio/api-errors.ts";
import type { createTwilioRestClient, TwilioMessage } from "../twilio/rest-client.ts";

export type TwilioClient = ReturnType<typeof createTwilioRestClient>;

export interface OutboundDeps {
  config: RuntimeConfig;
  replies: ReplyStore;
  optOuts: OptOutStore;
  /** A Twilio client for the account; `refreshToken` drops the cached auth token (after Twilio 20003). */
  twilioFor(account: RuntimeAccount): { client: TwilioClient; refreshToken(): void };
  statusCallbackUrl(account: RuntimeAccount): string;
  now: () => number;
  log: Log;
}

export type DeliveryOutcome =
  | { kind: "sent"; sids: string[] }
  | { kind: "already-finished"; state: string }
  | { kind: "refused"; reason: string }
  | { kind: "failed"; reason: string };

/** Twilio may take a few seconds to list a message it accepted; look this far before the claim. */
const RECONCILE_SLACK_MS = 60_000;
/** Newest messages to the recipient searched for an interrupted chunk (one page). */
const RECONCILE_PAGE_SIZE = 50;

/** A transient failure: the reply stays on the queue and is retried from its first unsent chunk. */
export class RetryLater extends Error {
  override name = "RetryLater";
}

/** A message that can never be processed (unknown account): it belongs in the dead-letter queue at once. */
export class UndeliverableReply extends Error {
  override name = "UndeliverableReply";
}

/**
 * Sends every chunk of a reply exactly once, in order. Progress lives in DynamoDB, so a redelivered or retried
 * reply resumes at the first chunk without a recorded sid; a chunk whose send was interrupted is looked up at
 * Twilio before it is sent again.
 */
export async function deliverReply(reply: Reply, deps: OutboundDeps): Promise<DeliveryOutcome> {
  const account = deps.config.accounts.find((candidate) => candidate.id === reply.account);
  if (!account) throw new UndeliverableReply(`reply.account: no account "${reply.account}" is configured`);
  const { progress, optedOut } = await deps.replies.readProgressAndOptOut(account.id, reply.replyId, reply.to);
  if (progress.finalState) return { kind: "already-finished", state: progress.finalState };

  const logFields = { account: account.id, to: maskPhone(reply.to), replyId: reply.replyId };
  if (optedOut) {
    await deps.replies.finish(account.id, reply.replyId, "refused", "recipient opted out", deps.now());
    deps.log.info("reply refused: recipient opted out", logFields);
    return { kind: "refused", reason: "recipient opted out" };
  }

  const chunks = renderSmsBodies(reply.text, chunkOptions(account));
  if (chunks.length === 0 && (reply.media?.length ?? 0) > 0) chunks.push(""); // media-only message
  if (chunks.length === 0) {
    const reason = "reply.text: nothing visible to send after rendering (and no media)";
    await deps.replies.finish(account.id, reply.replyId, "failed", reason, deps.now());
    return { kind: "failed", reason };
  }
  const twilio = deps.twilioFor(account);
  const sids = [...progress.sids];
  await reconcileInterruptedChunk(reply, account, chunks, progress, sids, twilio.client, deps);

  for (let index = sids.length; index < chunks.length; index++) {
    await deps.replies.claim(account.id, reply.replyId, index, chunks.length, deps.now());
    const message = await sendChunk(reply, account, chunks[index] ?? "", index, twilio, deps, logFields);
    if (message.kind !== "sent") return message;
    await deps.replies.recordSent(account.id, reply.replyId, index, message.sid);
    sids.push(message.sid);
  }
  await deps.replies.finish(account.id, reply.replyId, "sent", `${chunks.length} message(s)`, deps.now());
  deps.log.info("reply sent", { ...logFields, messages: chunks.length });
  return { kind: "sent", sids };
}

function chunkOptions(account: RuntimeAccount): { chunkLimit?: number } {
  return account.textChunkLimit ? { chunkLimit: account.textChunkLimit } : {};
}

type ChunkResult = { kind: "sent"; sid: string } | Exclude<DeliveryOutcome, { kind: "sent" }>;

async function sendChunk(
  reply: Reply,
  account: RuntimeAccount,
  body: string,
  index: number,
  twilio: ReturnType<OutboundDeps["twilioFor"]>,
  deps: OutboundDeps,
  logFields: Record<string, unknown>,
): Promise<ChunkResult> {
  const input = {
    to: reply.to,
    ...(account.fromNumber ? { from: account.fromNumber } : { messagingServiceSid: account.messagingServiceSid ?? "" }),
    ...(body !== "" ? { body } : {}),
    ...(index === 0 && reply.media?.length ? { mediaUrls: reply.media } : {}),
    statusCallback: deps.statusCallbackUrl(account),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const message = await twilio.client.sendMessage(input);
      return { kind: "sent", sid: message.sid };
    } catch (error) {
      if (error instanceof TwilioTimeoutError) throw new RetryLater(`Twilio did not answer for chunk ${index}`);
      if (!(error instanceof TwilioApiError)) throw error;
      if (error.kind === "auth" && attempt === 1) {
        twilio.refreshToken();
        continue;
      }
      if (error.kind === "retryable" || error.kind === "auth") {
        throw new RetryLater(`Twilio ${error.httpStatus} (code ${error.code ?? "none"}) on chunk ${index}`);
      }
      if (error.kind === "opted-out") {
        await deps.optOuts.optOut(account.id, reply.to, deps.now());
        await deps.replies.finish(
          account.id,
          reply.replyId,
          "refused",
          "Twilio 21610: recipient opted out",
          deps.now(),
        );
        deps.log.info("reply refused by Twilio: recipient opted out", logFields);
        return { kind: "refused", reason: "recipient opted out (21610)" };
      }
      const reason = `Twilio ${error.httpStatus} code ${error.code ?? "none"}: ${error.message}`;
      await deps.replies.finish(account.id, reply.replyId, "failed", reason, deps.now());
      deps.log.warn("reply failed with a terminal Twilio error", { ...logFields, code: error.code, chunk: index });
      return { kind: "failed", reason };
    }
  }
}

/**
 * A claim without a sid means an earlier attempt died between asking Twilio and recording the answer. Twilio has
 * no idempotency key for Messages, so look for the chunk in the recipient's recent messages before resending it.
 */
async function reconcileInterruptedChunk(
  reply: Reply,
  account: RuntimeAccount,
  chunks: string[],
  progress: ReplyProgress,
  sids: string[],
  client: TwilioClient,
  deps: OutboundDeps,
): Promise<void> {
  const claim = progress.claim;
  if (!claim || claim.index !== sids.length || claim.index >= chunks.length) return;
  const since = claim.at - RECONCILE_SLACK_MS;
  // No DateSent filter: Twilio leaves date_sent empty while a message is still queued, which is exactly the state an
  // interrupted send is likely in. The newest messages to this recipient are compared by date_created instead.
  const recent = await client.listMessages({
    to: reply.to,
    ...(account.fromNumber ? { from: account.fromNumber } : {}),
    pageSize: RECONCILE_PAGE_SIZE,
  });
  const match = recent.find((message: TwilioMessage) => isSameChunk(message, chunks[claim.index] ?? "", since, sids));
  if (!match) return;
  if (await deps.replies.recordSent(account.id, reply.replyId, claim.index, match.sid)) sids.push(match.sid);
  deps.log.info("interrupted chunk found at Twilio; not resending", { replyId: reply.replyId, chunk: claim.index });
}

function isSameChunk(message: TwilioMessage, body: string, sinceMs: number, known: string[]): boolean {
  const created = message.dateCreated ? Date.parse(message.dateCreated) : Number.NaN;
  // A message without a readable creation date is not assumed to be ours: resending beats losing a chunk.
  return message.body === body && !known.includes(message.sid) && created >= sinceMs;
}
