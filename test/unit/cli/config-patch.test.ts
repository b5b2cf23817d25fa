import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import JSON5 from "json5";
import { afterEach, describe, expect, it } from "vitest";
import { changedPaths, mergePatch, planConfigPatch, redactSecrets } from "../../../lib/cli/config-patch.ts";
import { runSmsctl } from "../../../lib/cli/run.ts";
import { offlineCliIo } from "../../support/offline-cli-io.ts";

const SID = `AC${"0".repeat(32)}`;

describe("mergePatch", () => {
  it("merges objects key by key, replaces arrays and values, and removes keys set to null", () => {
    const base = { channels: { sms: { enabled: false, allowFrom: ["+1555"], dmPolicy: "pairing" } }, other: 1 };
    const patch = { channels: { sms: { enabled: true, allowFrom: ["+1666"], dmPolicy: null } } };
    expect(mergePatch(base, patch)).toEqual({
      channels: { sms: { enabled: true, allowFrom: ["+1666"] } },
      other: 1,
    });
    expect(base.channels.sms.dmPolicy).toBe("pairing");
  });

  it("lists the changed key paths", () => {
    expect(changedPaths({ a: { b: 1, c: [1] } }, { a: { b: 1, c: [2], d: "x" } })).toEqual(["a.c", "a.d"]);
  });
});

describe("planConfigPatch", () => {
  const valid = { channels: { sms: { accountSid: SID, authToken: "tok-secret", fromNumber: "+15551234567" } } };

  it("validates the merged result and reports every problem by key path", () => {
    const plan = planConfigPatch(valid, { channels: { sms: { dmPolicy: "allowlist", allowFrom: ["nope"] } } }, {});
    expect(plan.issues.map((issue) => issue.path)).toEqual(["channels.sms.allowFrom[0]", "channels.sms.allowFrom"]);
  });

  it("uses env fallbacks like the gateway", () => {
    const patch = { channels: { sms: { enabled: true } } };
    expect(planConfigPatch(undefined, patch, {}).issues.map((issue) => issue.path)).toContain(
      "channels.sms.accountSid",
    );
    const env = { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: "t", TWILIO_PHONE_NUMBER: "+15551234567" };
    expect(planConfigPatch(undefined, patch, env).issues).toEqual([]);
  });

  it("refuses a patch that is not an object", () => {
    expect(planConfigPatch(valid, ["x"], {}).issues).toEqual([
      { path: "(patch)", message: "expected an object such as { channels: { sms: { ... } } }" },
    ]);
  });

  it("redacts inline auth tokens but shows SecretRefs", () => {
    expect(redactSecrets({ authToken: "abcd", accounts: { a: { authToken: { source: "env", id: "X" } } } })).toEqual({
      authToken: "<redacted, 4 characters>",
      accounts: { a: { authToken: { source: "env", id: "X" } } },
    });
  });
});

describe("smsctl config patch", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function setup(base: string | undefined, patch: string) {
    const dir = mkdtempSync(join(tmpdir(), "smsctl-patch-"));
    dirs.push(dir);
    const configPath = join(dir, "sms.config.json5");
    const patchPath = join(dir, "patch.json5");
    if (base !== undefined) writeFileSync(configPath, base);
    writeFileSync(patchPath, patch);
    return { configPath, patchPath, ...offlineCliIo({ SMS_CONFIG: configPath }) };
  }

  const base = `// my config\n{ channels: { sms: { accountSid: "${SID}", authToken: "tok-secret-1", fromNumber: "+15551234567" } } }`;
  const patch = `{ channels: { sms: { dmPolicy: "allowlist", allowFrom: ["sms:+15557654321"] } } }`;

  it("--dry-run prints the resulting section without the token and changes nothing", async () => {
    const t = setup(base, patch);
    expect(await runSmsctl(["config", "patch", "--file", t.patchPath, "--dry-run"], t.io)).toBe(0);
    const printed = t.out.join("\n");
    expect(printed).toContain("Dry run");
    expect(printed).toContain('dmPolicy: "allowlist"');
    expect(printed).toContain("channels.sms.allowFrom");
    expect(printed).not.toContain("tok-secret-1");
    expect(readFileSync(t.configPath, "utf8")).toBe(base);
  });

  it("writes the merged config and keeps the previous file as .bak", async () => {
    const t = setup(base, patch);
    expect(await runSmsctl(["config", "patch", "--file", t.patchPath], t.io)).toBe(0);
    expect(readFileSync(`${t.configPath}.bak`, "utf8")).toBe(base);
    // The backup holds the token as much as the config does: owner only, like the config, and git-ignored.
    expect(statSync(`${t.configPath}.bak`).mode & 0o777).toBe(0o600);
    expect(statSync(t.configPath).mode & 0o777).toBe(0o600);
    const written = JSON5.parse(readFileSync(t.configPath, "utf8"));
    expect(written.channels.sms).toEqual({
      accountSid: SID,
      authToken: "tok-secret-1",
      fromNumber: "+15551234567",
      dmPolicy: "allowlist",
      allowFrom: ["sms:+15557654321"],
    });
  });

  it("tightens a backup left readable by all by an earlier run", async () => {
    const t = setup(base, patch);
    writeFileSync(`${t.configPath}.bak`, "old", { mode: 0o644 });
    chmodSync(`${t.configPath}.bak`, 0o644);
    expect(await runSmsctl(["config", "patch", "--file", t.patchPath], t.io)).toBe(0);
    expect(statSync(`${t.configPath}.bak`).mode & 0o777).toBe(0o600);
  });

  it("keeps config files and their backups out of git", () => {
    const ignored = readFileSync(new URL("../../../.gitignore", import.meta.url), "utf8").split("\n");
    expect(ignored).toEqual(expect.arrayContaining(["sms.config.json5", "*.json5.bak"]));
  });

  it("refuses an invalid result, listing each problem, and writes nothing", async () => {
    const t = setup(base, `{ channels: { sms: { dmPolicy: "open", textChunkLimit: 5000 } } }`);
    expect(await runSmsctl(["config", "patch", "--file", t.patchPath], t.io)).toBe(1);
    const message = t.err.join("\n");
    expect(message).toContain("channels.sms.textChunkLimit: expected at most 1600");
    expect(readFileSync(t.configPath, "utf8")).toBe(base);
  });

  it("names the file and position of a JSON5 syntax error", async () => {
    const t = setup(base, "{ channels: ");
    expect(await runSmsctl(["config", "patch", "--file", t.patchPath], t.io)).toBe(1);
    expect(t.err.join("\n")).toMatch(/patch\.json5[\s\S]*not valid JSON5/);
  });

  it("creates ./sms.config.json5 when SMS_CONFIG is unset and there is none", async () => {
    const t = setup(undefined, base.replace("// my config\n", ""));
    const cwd = process.cwd();
    process.chdir(dirname(t.configPath));
    try {
      const io = { ...t.io, env: {} };
      expect(await runSmsctl(["config", "patch", "--file", t.patchPath, "--json"], io)).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(JSON.parse(t.out.join("\n"))).toMatchObject({ valid: true, dryRun: false });
    expect(JSON5.parse(readFileSync(t.configPath, "utf8")).channels.sms.fromNumber).toBe("+15551234567");
  });

  it("refuses an SMS_CONFIG that names no file, in one line, rather than patch an empty config", async () => {
    for (const dryRun of [[], ["--dry-run"]]) {
      const t = setup(undefined, patch);
      expect(await runSmsctl(["config", "patch", "--file", t.patchPath, ...dryRun], t.io)).toBe(1);
      expect(t.err).toEqual([
        `smsctl: SMS_CONFIG is set to ${t.configPath}, but there is no such file (fix the path, or unset SMS_CONFIG to use ./sms.config.json5)`,
      ]);
      expect(existsSync(t.configPath)).toBe(false);
    }
  });
});
