/**
 * smsctl end to end on one machine, in process (test/support/smsctl-gateway.ts): the local gateway's HTTP layer in
 * front of the real handlers, dynalite and fauxqs. `simulate` creates a pairing request through the real inbound
 * path; `pairing approve` grants it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeadLetterList } from "../../lib/admin/dead-letters.ts";
import { emptyConversation, withAnswer } from "../../lib/agent/conversation.ts";
import { sendToDeadLetterQueue } from "../../lib/queue/dead-letter.ts";
import { ConversationStore } from "../../lib/store/conversation-store.ts";
import { deadLetterDepths, type Emulators } from "../support/emulators.ts";
import { type SmsctlGateway, startSmsctlGateway } from "../support/smsctl-gateway.ts";

const SID = `AC${"5e".repeat(16)}`;
const TWILIO_TOKEN = "cli-test-auth-token-0001";
const FROM_NUMBER = "+15551234567";
const OWNER = "+15557654321";
const STRANGER = "+15550001111";

let gateway: SmsctlGateway;
let emulators: Emulators;

function configText(port: number): string {
  return `{
    channels: { sms: {
      accountSid: "${SID}",
      authToken: "${TWILIO_TOKEN}",
      fromNumber: "${FROM_NUMBER}",
      dmPolicy: "pairing",
      allowFrom: ["${OWNER}"],
      // port ${port}: the webhook is the local gateway's own URL
    } },
  }`;
}

const smsctl = (...argv: string[]) => gateway.smsctl(...argv);
const drain = (queueUrl: string) => gateway.drain(queueUrl);

beforeEach(async () => {
  gateway = await startSmsctlGateway({ config: configText, twilioToken: TWILIO_TOKEN });
  emulators = gateway.emulators;
});

afterEach(async () => {
  await gateway.stop();
});

describe("smsctl against the local gateway", () => {
  it("simulate -> pairing list -> pairing approve -> the sender's next message is an agent turn", async () => {
    const simulated = await smsctl("simulate", "--from", STRANGER, "--body", "hello?");
    expect(simulated).toMatchObject({ code: 0, err: "" });
    expect(simulated.out).toContain("unknown sender: a pairing request was created and its code texted back.");

    const listed = await smsctl("pairing", "list", "--json");
    expect(listed.code).toBe(0);
    const { requests } = JSON.parse(listed.out) as { requests: Array<{ code: string; phone: string }> };
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.phone).toBe(STRANGER);
    expect((await smsctl("pairing", "list")).out).toContain(request?.code ?? "missing");
    // simulate read the code from the admin API and said how to approve it.
    expect(simulated.out).toContain(`approve it with: npx smsctl pairing approve ${request?.code}`);

    const approved = await smsctl("pairing", "approve", (request?.code ?? "").toLowerCase());
    expect(approved).toMatchObject({ code: 0, err: "" });
    expect(approved.out).toContain(`Approved ${STRANGER}`);
    const replies = await drain(emulators.queueUrls.replies);
    expect(replies.map((reply) => reply.kind)).toEqual(["pairing", "system"]);

    const allowed = await smsctl("simulate", "--from", STRANGER, "--body", "now?");
    expect(allowed).toMatchObject({ code: 0, err: "" });
    expect(allowed.out).toContain(": queued as a turn for the agent");
    const turns = await drain(emulators.queueUrls.turns);
    expect(turns).toMatchObject([{ from: STRANGER, to: FROM_NUMBER, text: "now?" }]);
  });

  it("explains a refused signature: the URL simulate signed, and what to check", async () => {
    // The gateway checks with its own token; simulate signs with the config's, which now differs.
    gateway.writeConfig(configText(gateway.port).replace(TWILIO_TOKEN, "another-token-0000"));
    const refused = await smsctl("simulate", "--from", STRANGER, "--body", "hi");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      `HTTP 403): simulate signed http://127.0.0.1:${gateway.port}/webhooks/sms with account "default"'s auth token`,
    );
    expect(refused.err).toContain('"signature checked against"');
  });

  it("manages the allowlist and refuses to remove a config-only number", async () => {
    expect((await smsctl("allow", "add", `twilio-sms:${STRANGER}`)).out).toBe(
      `Approved ${STRANGER} for account "default".`,
    );
    const listed = JSON.parse((await smsctl("allow", "list", "--json")).out);
    expect(listed).toMatchObject({ allowFrom: [OWNER], approved: [{ phone: STRANGER, via: "admin" }] });

    const refused = await smsctl("allow", "remove", OWNER);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^smsctl: phone: \+15557654321 is in the config's allowFrom .*edit allowFrom/);

    expect((await smsctl("allow", "remove", STRANGER)).code).toBe(0);
    const missing = await smsctl("allow", "remove", STRANGER);
    expect(missing).toMatchObject({
      code: 1,
      err: `smsctl: phone: ${STRANGER} is not an approved sender of account "default"`,
    });
  });

  it("shows and resets what the agent remembers of a sender", async () => {
    const store = new ConversationStore(emulators.dynamo, emulators.tableName);
    const remembered = withAnswer(emptyConversation(), {
      turnId: "default:SM1",
      userText: "what's the weather?",
      reply: "Sunny, 21°C.",
      history: 20,
      nowMs: Date.UTC(2026, 11, 2, 12, 0, 0),
    });
    expect(await store.save("default", OWNER, remembered, Date.now())).toBe(true);

    const shown = await smsctl("conversation", "show", "--phone", `sms:${OWNER}`);
    expect(shown.out).toBe(
      [
        `Conversation of ${OWNER} with account "default" (agent echo, history 0; 1 turn(s) answered in the last 30 days)`,
        "2026-12-02T12:00:00.000Z  them: what's the weather?",
        "2026-12-02T12:00:00.000Z  agent: Sunny, 21°C.",
      ].join("\n"),
    );
    expect((await smsctl("conversation", "reset", "--phone", OWNER)).out).toBe(
      `Forgot 2 message(s) of ${OWNER} (account "default"); answered turns stay answered.`,
    );
    expect(JSON.parse((await smsctl("conversation", "show", "--phone", OWNER, "--json")).out)).toMatchObject({
      messages: [],
      turnsHandled: 1,
    });
    expect(await smsctl("conversation", "show", "--phone", "555")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^smsctl: --phone: expected an E\.164 number/),
    });
  });

  it("queues a message send and reports status and capabilities", async () => {
    const sent = await smsctl("message", "send", "--target", `sms:${OWNER}`, "--message", "**hi** there");
    expect(sent).toMatchObject({ code: 0 });
    expect(sent.out).toBe(`Queued admin:11111111-2222-4333-8444-555555555555 to ${OWNER} (account "default").`);
    expect(await drain(emulators.queueUrls.replies)).toMatchObject([
      { to: OWNER, text: "**hi** there", kind: "system" },
    ]);

    const status = JSON.parse((await smsctl("status", "--json")).out);
    expect(status.accounts[0]).toMatchObject({ id: "default", sender: { fromNumber: FROM_NUMBER }, pending: 0 });
    expect((await smsctl("capabilities")).out).toContain("targets       sms:+E164, twilio-sms:+E164, +E164");
  });

  it("fails clearly with a wrong admin token or an unknown account", async () => {
    const badAccount = await smsctl("pairing", "list", "--account", "nope");
    expect(badAccount).toMatchObject({ code: 1, err: 'smsctl: account: no SMS account "nope" (configured: default)' });

    writeFileSync(join(gateway.dir, "admin-token"), "stale-token\n");
    const rejected = await smsctl("status");
    expect(rejected.code).toBe(1);
    expect(rejected.err).toBe(
      `smsctl: the local gateway at http://127.0.0.1:${gateway.port}/admin rejected the admin token read from ` +
        `${join(gateway.dir, "admin-token")} (HTTP 401): set SMS_DATA_DIR to the data dir and PORT to the port that ` +
        "gateway printed at start",
    );
  });
});

describe("smsctl dlq: list, redrive, purge against the emulated dead-letter queues", () => {
  const deadReply = (replyId: string, to: string, text: string) =>
    sendToDeadLetterQueue(emulators.sqs, {
      dlqUrl: emulators.queueUrls.repliesDlq,
      body: JSON.stringify({ version: 1, replyId, account: "default", to, text }),
      groupId: `default:${to}`,
      dedupeId: replyId,
      reason: `gave up after 5 attempts: Twilio 500 on ${replyId}`,
      receiveCount: 5,
    });
  const idsOf = async () =>
    ((JSON.parse((await smsctl("dlq", "list", "--json")).out) as DeadLetterList).letters ?? []).map((l) => l.id);

  beforeEach(async () => {
    gateway.confirm.answer = false;
    await deadReply("agent:r1", "+15557650001", "the first secret reply");
    await deadReply("agent:r2", "+15557650002", "the second reply");
    // Moved by SQS's own redrive policy: no reason attribute.
    await emulators.sqs.send(
      new SendMessageCommand({
        QueueUrl: emulators.queueUrls.turnsDlq,
        MessageBody: JSON.stringify({ version: 1, turnId: "t1", account: "default", from: "+15557650003", text: "hi" }),
        MessageGroupId: "default:+15557650003",
        MessageDeduplicationId: "t1",
      }),
    );
  });

  it("lists reason, age, account and masked number, the text only with --show-body, and leaves them there", async () => {
    const listed = await smsctl("dlq", "list");
    expect(listed.code).toBe(0);
    expect(listed.out).toContain("reason: gave up after 5 attempts: Twilio 500 on agent:r1");
    expect(listed.out).toContain("reason: moved by the queue's redrive policy");
    expect(listed.out).toContain('account "default"');
    expect(listed.out).toContain("reply agent:r2");
    expect(listed.out).toContain("turn t1");
    expect(listed.out).not.toContain("7650001");
    expect(listed.out).not.toContain("secret");
    expect((await smsctl("dlq", "list", "--queue", "replies", "--show-body")).out).toContain(
      'text: "the first secret reply"',
    );
    const json = JSON.parse((await smsctl("dlq", "list", "--json")).out) as DeadLetterList;
    expect(json.letters.map((letter) => [letter.queue, letter.key])).toEqual([
      ["turns", "t1"],
      ["replies", "agent:r1"],
      ["replies", "agent:r2"],
    ]);
    expect(await deadLetterDepths(emulators)).toEqual({ turns: 1, replies: 2 });
  });

  it("redrives one message by id into its own queue and group, keeping its body; an unknown id fails", async () => {
    const list = JSON.parse((await smsctl("dlq", "list", "--json")).out) as DeadLetterList;
    const second = list.letters.find((letter) => letter.key === "agent:r2");
    const redriven = await smsctl("dlq", "redrive", "--id", second?.id ?? "");
    expect(redriven).toMatchObject({
      code: 0,
      out: `Redrove 1 message(s): replies ${second?.id}.\n2 still waiting in the dead-letter queue(s).`,
    });
    expect(await drain(emulators.queueUrls.replies)).toEqual([
      { version: 1, replyId: "agent:r2", account: "default", to: "+15557650002", text: "the second reply" },
    ]);
    expect(await deadLetterDepths(emulators)).toEqual({ turns: 1, replies: 1 });
    const unknown = await smsctl("dlq", "redrive", "--id", "no-such-id");
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain("Not found: no-such-id (already gone, or behind its sender's first message");
    expect(await idsOf()).toHaveLength(2);
  });

  it("says how many wait unseen behind their sender's first message", async () => {
    await deadReply("agent:r3", "+15557650001", "a later reply to the first recipient");
    const list = JSON.parse((await smsctl("dlq", "list", "--json")).out) as DeadLetterList;
    expect(list.letters.length + list.notShown).toBe(4);
    const text = (await smsctl("dlq", "list")).out;
    if (list.notShown > 0) expect(text).toContain(`${list.notShown} more waiting, not shown`);
  });

  it("redrives a whole queue, and refuses a queue it does not know, naming the field", async () => {
    expect((await smsctl("dlq", "redrive", "--queue", "turns")).code).toBe(0);
    expect(await drain(emulators.queueUrls.turns)).toMatchObject([{ turnId: "t1" }]);
    const wrong = await smsctl("dlq", "list", "--queue", "outbox");
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('queue: expected turns or replies, got "outbox"');
  });

  it("purge asks first: no answer deletes nothing; yes or --yes deletes", async () => {
    const refused = await smsctl("dlq", "purge", "--queue", "replies");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("nothing deleted");
    expect(gateway.confirm.questions).toEqual(["Delete every message in the replies dead-letter queue(s) for good?"]);
    expect(await deadLetterDepths(emulators)).toEqual({ turns: 1, replies: 2 });
    gateway.confirm.answer = true;
    expect((await smsctl("dlq", "purge", "--queue", "replies")).out).toBe(
      "Deleted 0 turn(s) and 2 reply(ies) from the dead-letter queues.",
    );
    gateway.confirm.answer = false;
    expect((await smsctl("dlq", "purge", "--yes")).code).toBe(0);
    expect(await deadLetterDepths(emulators)).toEqual({ turns: 0, replies: 0 });
    expect((await smsctl("dlq", "list")).out).toBe("The dead-letter queues are empty.");
  });
});
