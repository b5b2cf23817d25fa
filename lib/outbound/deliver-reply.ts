import { randomUUID } from "node:crypto";
import { numberOf } from "../access/address.ts";
import { maskPhone } from "../access/phone.ts";
import type { RuntimeAccount } from "../config/types.ts";
import type { Reply } from "../queue/messages.ts";
import type { ChunkClaim } from "../store/reply-store.ts";
import type { ChunkOwner } from "../store/status-store.ts";
import { renderReply } from "../text/index.ts";
import type { TwilioMessage } from "../twilio/rest-client.ts";
import { ClaimHeld, RetryLater, UndeliverableReply } from "./delivery-errors.ts";
import { adoptInterruptedChunk } from "./interrupted-chunk.ts";
import { messageRoute } from "./message-route.ts";
import type { DeliveryOutcome, OutboundDeps } from "./outbound-deps.ts";
import { billedSegments, sendChunk } from "./send-chunk.ts";

export type { DeliveryOutcome, OutboundDeps, TwilioClient } from "./outbound-deps.ts";

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
  // Opt-outs belong to the number, whichever channel (SMS or RCS) the reply goes out on.
  const recipient = numberOf(reply.to);
  const { progress, optedOut } = await deps.replies.readProgressAndOptOut(account.id, reply.replyId, recipient);
  if (progress.finalState) return { kind: "already-finished", state: progress.finalState };

  const logFields = replyLogFields(reply);
  if (optedOut) {
    const reason = "recipient opted out";
    await deps.replies.finish(account.id, reply.replyId, "refused", reason, deps.now());
    deps.log.info("reply refused: recipient opted out", { ...logFields, event: "reply", outcome: "refused", reason });
    return { kind: "refused", reason };
  }

  const rendered = renderReply(reply.text, chunkOptions(account));
  const chunks = rendered.bodies;
  if (chunks.length === 0 && (reply.media?.length ?? 0) > 0) chunks.push(""); // media-only message
  if (chunks.length === 0) {
    const reason = rendered.reasoningRemoved
      ? "reply.text: nothing but reasoning (<think> and the like) or comments, which are never sent"
      : "reply.text: nothing visible to send after rendering (and no media)";
    await deps.replies.finish(account.id, reply.replyId, "failed", reason, deps.now());
    deps.log.warn("reply not sent: nothing to send", { ...logFields, event: "reply", outcome: "failed", reason });
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
    const route = messageRoute(account, reply.to);
    const match = await adoptInterruptedChunk(twilio, deps.statuses, {
      to: route.to,
      ...(route.from ? { from: route.from } : {}),
      body: chunks[claim.index] ?? "",
      claimAt: claim.at,
      recordedSids: sids,
      owner: { accountId: account.id, replyId: reply.replyId, chunk: claim.index },
      nowMs: deps.now(),
    });
    if (match) {
      if (!(await deps.replies.recordSent(account.id, reply.replyId, claim.index, match.sid))) {
        return superseded(claim.index, deps, logFields);
      }
      sids.push(match.sid);
      deps.log.info("interrupted chunk found at Twilio; not resending", { ...logFields, chunk: claim.index });
    }
  }

  const attempt = randomUUID(); // identifies this attempt's claims, so it releases only its own
  for (let index = sids.length; index < chunks.length; index++) {
    const now = deps.now();
    const claimed = await deps.replies.claim(account.id, reply.replyId, {
      index,
      chunkCount: chunks.length,
      nowMs: now,
      staleBeforeMs: now - leaseMs(deps),
      owner: attempt,
    });
    if (!claimed) throw new ClaimHeld(`chunk ${index} was claimed by another attempt`);
    try {
      const sent = await sendChunk({ reply, account, body: chunks[index] ?? "", index }, twilio, deps, logFields);
      if (sent.kind !== "sent") return sent;
      await ownChunkMessage(sent.message, { accountId: account.id, replyId: reply.replyId, chunk: index }, deps);
      if (!(await deps.replies.recordSent(account.id, reply.replyId, index, sent.message.sid))) {
        return superseded(index, deps, logFields);
      }
      sids.push(sent.message.sid);
    } catch (error) {
      // Anything but a definite refusal may have reached Twilio (including errors of our own after the send).
      const ambiguous = !(error instanceof RetryLater) || error.ambiguous;
      await releaseQuietly(account.id, reply.replyId, attempt, ambiguous, deps);
      throw error;
    }
  }
  await deps.replies.finish(account.id, reply.replyId, "sent", `${chunks.length} message(s)`, deps.now());
  const segments = chunks.reduce((sum, body) => sum + billedSegments(body), 0);
  deps.log.info("reply sent", { ...logFields, event: "reply", outcome: "sent", texts: chunks.length, segments, sids });
  return { kind: "sent", sids };
}

/** How every record about a reply names it: never the full number, never the text. */
export function replyLogFields(reply: Reply): Record<string, unknown> {
  return { account: reply.account, to: maskPhone(reply.to), replyId: reply.replyId };
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

/**
 * Marks the accepted message as this chunk's, with the status Twilio answered, before its sid is recorded on the
 * reply: after a crash in between, the retry adopts it as its own, and an identical later reply never takes it.
 * If another reply's reconciliation took it first (it could only have guessed), this chunk counts as not sent.
 */
async function ownChunkMessage(message: TwilioMessage, owner: ChunkOwner, deps: OutboundDeps): Promise<void> {
  const owned = await deps.statuses.recordSend({
    messageSid: message.sid,
    owner,
    status: message.status,
    nowMs: deps.now(),
  });
  if (!owned) throw new RetryLater(`chunk ${owner.chunk}'s message was taken by another reply`, true);
}
