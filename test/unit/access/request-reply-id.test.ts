import { describe, expect, it } from "vitest";
import { requestReplyId } from "../../../lib/access/request-reply-id.ts";
import { replySchema } from "../../../lib/queue/messages.ts";

describe("replyIds of pairing SMS", () => {
  const request = { phone: "+15559876543", createdAt: 1_790_000_000_000 };

  it("carry no digits of the number, stay the same for the same request, and differ per kind and recipient", () => {
    const id = requestReplyId("pairing", "default", request);
    expect(id).toMatch(/^pairing:default:[0-9a-f]{32}$/);
    expect(id).not.toContain("9876543");
    expect(requestReplyId("pairing", "default", { ...request })).toBe(id);
    expect(requestReplyId("pairing-approved", "default", request)).toMatch(/^pairing-approved:default:[0-9a-f]{32}$/);
    expect(requestReplyId("pairing-notice", "default", request, "+15557000001")).not.toBe(
      requestReplyId("pairing-notice", "default", request, "+15557000002"),
    );
    expect(requestReplyId("pairing", "default", { ...request, createdAt: request.createdAt + 1 })).not.toBe(id);
  });

  it("fit the reply contract", () => {
    const id = requestReplyId("pairing-notice", "a".repeat(32), request, "+15557000001");
    const reply = { version: 1, replyId: id, account: "a".repeat(32), to: "+15557000001", text: "x" };
    expect(replySchema.safeParse(reply).success).toBe(true);
  });
});
