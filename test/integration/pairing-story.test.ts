import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskPhone } from "../../lib/access/phone.ts";
import { type GatewayProcess, startGatewayProcess, waitFor } from "../support/local-gateway-process.ts";
import { smsctl } from "../support/smsctl-process.ts";

const PHONE = "+15557654321";

/**
 * The whole pairing story as a user lives it on a fresh clone: `npm start` (demo account, outbound SMS printed by
 * the embedded Twilio stand-in) and `smsctl` in another terminal.
 */
describe("pairing story through the local gateway, driven by smsctl", () => {
  let gateway: GatewayProcess;
  let env: Record<string, string>;
  let cwd: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "sms-story-"));
    cwd = dir;
    // No config file (SMS_CONFIG unset, run in an empty folder): the demo account. HOST=0.0.0.0 (every interface),
    // as someone reaching it from a phone on the LAN would: simulate still works.
    env = { SMS_DATA_DIR: join(dir, "data"), SMS_CONFIG: "", HOST: "0.0.0.0" };
    gateway = await startGatewayProcess(env, { cwd: dir });
    env.PORT = new URL(gateway.baseUrl).port;
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
  });

  const smsctlHere = (args: string[], cliEnv: Record<string, string>) => smsctl(args, cliEnv, cwd);
  const smsTo = (phone: string, pattern: RegExp) =>
    waitFor(`an SMS to ${phone} matching ${pattern}`, () => {
      const lines = gateway
        .output()
        .split("\n[sms out] ")
        .filter((block) => block.startsWith(`to ${maskPhone(phone)}:`));
      return lines.find((block) => pattern.test(block));
    });

  it("unknown sender -> code SMS -> pairing list -> approve -> confirmation -> echo reply", async () => {
    const first = await smsctlHere(["simulate", "--from", PHONE, "--body", "hello, agent?"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);

    const codeSms = await smsTo(PHONE, /Pairing code: [A-HJ-NP-Z2-9]{8}/);
    const code = /Pairing code: ([A-HJ-NP-Z2-9]{8})/.exec(codeSms)?.[1] ?? "";
    expect(codeSms).toContain(PHONE);
    expect(codeSms).toContain(`smsctl pairing approve ${code}`);

    const listed = await smsctlHere(["pairing", "list", "--json"], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ requests: [{ code, phone: PHONE }] });
    expect((await smsctlHere(["pairing", "list"], env)).stdout).toContain(code);

    const approved = await smsctlHere(["pairing", "approve", code.toLowerCase()], env);
    expect(approved.code).toBe(0);
    await smsTo(PHONE, /approved/i);

    expect((await smsctlHere(["simulate", "--from", PHONE, "--body", "what's the plan?"], env)).code).toBe(0);
    await smsTo(PHONE, /You said: "what's the plan\?"/);
    // Nothing the sender wrote before approval reached the agent.
    expect(gateway.output()).not.toContain('You said: "hello, agent?"');
  }, 60_000);

  it("approving an unknown code fails with a clear message and a non-zero exit", async () => {
    const result = await smsctlHere(["pairing", "approve", "ZZZZZZZZ"], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/ZZZZZZZZ|not found|no pending/i);
  });

  it("status --probe against the embedded stand-in knows the demo's number and its webhook; only loopback fails", async () => {
    const probed = await smsctlHere(["status", "--probe", "--json"], env);
    const [account] = (
      JSON.parse(probed.stdout) as { accounts: Array<{ probe: { checks: Array<{ name: string; ok: boolean }> } }> }
    ).accounts;
    const failed = account?.probe.checks.filter((check) => !check.ok).map((check) => check.name);
    expect(failed).toEqual(["webhook-public"]);
    expect(account?.probe.checks.map((check) => check.name)).toContain("sender-number");
  });
});
