import { randomUUID } from "node:crypto";
import { maskPhone } from "../access/phone.ts";
import type { RuntimeAccount, RuntimeConfig } from "../config/types.ts";
import type { Log } from "../log/log.ts";
import type { Reply } from "../queue/messages.ts";
import type { OptOutStore } from "../store/opt-out-store.ts";
import type { ChunkClaim, ReplyStore } from "../store/reply-store.ts";
import { renderSmsBodies } from "../text/index.ts";
import { TwilioApiError, TwilioTimeoutError } from "../twilio/api-errors.ts";
import type { TwilioRestClient } from "../twilio/rest-client.ts";
import { ClaimHeld, RetryLater, UndeliverableReply } from "./delivery-errors.ts";
import { findInterruptedChunk } from "./interrupted-chunk.ts";

export type TwilioClient = TwilioRestClient;

export interface OutboundDeps {
  config: RuntimeConfig;
  replies: ReplyStore;
  optOuts: OptOutStore;
  /** A Twilio client for the account; `refreshToken` drops the cached auth token (after Twilio 20003). */
  twilioFor(account: RuntimeAccount): { client: TwilioClient; refreshToken(): void };
  statusCallbackUrl(account: RuntimeAccount): string;
  now: () => number;
  log: Log;
  /** Default CLAIM_LEASE_MS; the local gateway may shorten it so a restart after a crash resumes sooner. */
  claimLeaseMs?: number;
}

export type DeliveryOutcome =
  | { kind: "sent"; sids: string[] }
  | { kind: "already-finished"; state: string }
  | { kind: "refused"; reason: string }
  | { kind: "failed"; reason: string }
  /** Another attempt on the same reply recorded a chunk first and carries on; this one stopped sending. */
  | { kind: "superseded"; reason: string };

/**
 * How long a claim excludes other attempts. Far above the Twilio client timeout (10 s) and the time to record a
 * sid, so a live attempt never loses its lease; an attempt that died holding one (Lambda timeout) frees it then.
 */
export const CLAIM_LEASE_MS = 120_000;

/**
 * Sends every chunk of a reply exactly once, in order. Progress lives in DynamoDB, so a redelivered or retried
 * reply resumes at the first chunk without a recorded sid; a chunk whose send was interrupted is looked up at
 * Twilio before it is sent again. Each chunk is sent under a lease (a conditional claim), so two workers on the
 * same reply never both send it.
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
  if (progress.claim && isLive(progress.claim, deps.now(), leaseMs(deps))) {
    // Do not even reconcile: the holder may be waiting for Twilio's answer on that very chunk.
    const staleInMs = progress.claim.at + leaseMs(deps) - deps.now();
    const retryAfterSeconds = Math.max(1, Math.ceil(staleInMs / 1000));
    throw new ClaimHeld(`chunk ${progress.claim.index} is being sent by another attempt`, retryAfterSeconds);
  }

  const twilio = deps.twilioFor(account);
  const sids = [...progress.sids];
  const claim = progress.claim;
  // Only a send that may have gone out is looked up: after a definite refusal, an identical earlier reply to the
  // same recipient could otherwise pass for this chunk. A claim never released (a crash) counts as uncertain.
  if (claim && claim.index === sids.length && claim.index < chunks.length && (!claim.released || claim.ambiguous)) {
    // The claim outlived an attempt that ended between asking Twilio and recording the answer.
    const match = await findInterruptedChunk(twilio, {
      to: reply.to,
      ...(account.fromNumber ? { from: account.fromNumber } : {}),
      body: chunks[claim.index] ?? "",
      claimAt: claim.at,
      recordedSids: sids,
    });
    if (match) {
      if (!(await deps.replies.recordSent(account.id, reply.replyId, claim.index, match.sid))) {
        return superseded(claim.index, deps, logFields);
      }
      sids.push(match.sid);
      deps.log.info("interrupted chunk found at Twilio; not resending", { ...logFields, chunk: claim.index });
    }
  }

  const owner = randomUUID();
  for (let index = sids.length; index < chunks.length; index++) {
    const now = deps.now();
    const claimed = await deps.replies.claim(account.id, reply.replyId, {
      index,
      chunkCount: chunks.length,
      nowMs: now,
      staleBeforeMs: now - leaseMs(deps),
      owner,
    });
    if (!claimed) throw new ClaimHeld(`chunk ${index} was claimed by another attempt`);
    try {
      const message = await sendChunk(reply, account, chunks[index] ?? "", index, twilio, deps, logFields);
      if (message.kind !== "sent") return message;
      if (!(await deps.replies.recordSent(account.id, reply.replyId, index, message.sid))) {
        return superseded(index, deps, logFields);
      }
      sids.push(message.sid);
    } catch (error) {
      // Anything but a definite refusal may have reached Twilio (including errors of our own after the send).
      const ambiguous = !(error instanceof RetryLater) || error.ambiguous;
      await releaseQuietly(account.id, reply.replyId, owner, ambiguous, deps);
      throw error;
    }
  }
  await deps.replies.finish(account.id, reply.replyId, "sent", `${chunks.length} message(s)`, deps.now());
  deps.log.info("reply sent", { ...logFields, messages: chunks.length });
  return { kind: "sent", sids };
}

function chunkOptions(account: RuntimeAccount): { chunkLimit?: number } {
  return account.textChunkLimit ? { chunkLimit: account.textChunkLimit } : {};
}

function leaseMs(deps: Pick<OutboundDeps, "claimLeaseMs">): number {
  return deps.claimLeaseMs ?? CLAIM_LEASE_MS;
}

/** Held by an attempt that has neither ended (released it) nor outlived the lease. */
function isLive(claim: ChunkClaim, nowMs: number, lease: number): boolean {
  return !claim.released && claim.at >= nowMs - lease;
}

function superseded(index: number, deps: OutboundDeps, logFields: Record<string, unknown>): DeliveryOutcome {
  deps.log.warn("another attempt recorded this chunk first; stopping", { ...logFields, chunk: index });
  return { kind: "superseded", reason: `chunk ${index} was recorded by another attempt` };
}

/**
 * The attempt is over, so its lease ends now rather than in two minutes; the claim's index and time stay for the
 * next attempt's reconciliation. If this write fails too, the lease simply runs out.
 */
async function releaseQuietly(
  accountId: string,
  replyId: string,
  owner: string,
  ambiguous: boolean,
  deps: OutboundDeps,
): Promise<void> {
  try {
    await deps.replies.releaseClaim(accountId, replyId, owner, ambiguous);
  } catch (error) {
    deps.log.warn("could not release the chunk claim", { replyId, error: String(error) });
  }
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
      if (error instanceof TwilioTimeoutError) throw new RetryLater(`Twilio did not answer for chunk ${index}`, true);
      if (!(error instanceof TwilioApiError)) throw error;
      if (error.kind === "auth" && attempt === 1) {
        twilio.refreshToken();
        continue;
      }
      if (error.kind === "retryable" || error.kind === "auth") {
        // A 429 or an auth failure was refused before anything was created; a 5xx may hide an accepted message.
        const ambiguous = error.httpStatus >= 500;
        throw new RetryLater(`Twilio ${error.httpStatus} (code ${error.code ?? "none"}) on chunk ${index}`, ambiguous);
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
