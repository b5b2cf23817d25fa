import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runSmsctl } from "../../../lib/cli/run.ts";
import { configPathFrom, loadConfig, MissingConfigFileError } from "../../../lib/config/load.ts";
import { demoAccountFile, loadLocalConfig } from "../../../lib/config/local-config.ts";
import { offlineCliIo } from "../../support/offline-cli-io.ts";
import { SID } from "./config-issues.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "sms-config-path-"));
  dirs.push(dir);
  return dir;
}

const missingLine = (path: string) =>
  `SMS_CONFIG is set to ${path}, but there is no such file (fix the path, or unset SMS_CONFIG to use ./sms.config.json5)`;

describe("SMS_CONFIG", () => {
  it("naming a missing file stops the local gateway's config load instead of making up the demo account", () => {
    const dir = tempDir();
    const path = join(dir, "sms.confg.json5");
    const load = () => loadLocalConfig({ SMS_CONFIG: path }, join(dir, "data"));
    expect(load).toThrow(MissingConfigFileError);
    expect(load).toThrow(missingLine(path));
    expect(existsSync(demoAccountFile(join(dir, "data")))).toBe(false);
    // Not even the env may stand in for the file the user pointed at.
    const withEnv = { SMS_CONFIG: path, TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: "t" };
    expect(() => loadLocalConfig({ ...withEnv, TWILIO_PHONE_NUMBER: "+15551234567" }, dir)).toThrow(missingLine(path));
  });

  it("loads the file it names, and counts whitespace only as unset (the default path)", () => {
    const dir = tempDir();
    const path = join(dir, "mine.json5");
    writeFileSync(path, `{ channels: { sms: { accountSid: "${SID}", authToken: "t", fromNumber: "+15551234567" } } }`);
    expect(loadLocalConfig({ SMS_CONFIG: ` ${path} ` }, dir)).toMatchObject({ mode: "configured", source: path });
    expect(configPathFrom({ SMS_CONFIG: "  " })).toBe("./sms.config.json5");
  });

  it("naming a missing file stops `smsctl simulate` with the same one line", async () => {
    const dir = tempDir();
    const path = join(dir, "typo.json5");
    const { io, err } = offlineCliIo({ SMS_CONFIG: path, SMS_DATA_DIR: dir });
    expect(await runSmsctl(["simulate", "--from", "+15557654321", "--body", "hi"], io)).toBe(1);
    expect(err).toEqual([`smsctl: ${missingLine(path)}`]);
  });

  it("naming a folder stops with one line too, and an unreadable default path is named, not a stack trace", async () => {
    const dir = tempDir();
    const { io, err } = offlineCliIo({ SMS_CONFIG: dir, SMS_DATA_DIR: dir });
    expect(await runSmsctl(["simulate", "--from", "+15557654321", "--body", "hi"], io)).toBe(1);
    expect(err).toEqual([
      `smsctl: SMS_CONFIG is set to ${dir}, but that is not a file (fix the path, or unset SMS_CONFIG to use ./sms.config.json5)`,
    ]);
    expect(() => loadConfig({}, dir)).toThrow(`invalid ${dir}:\n  - (file): cannot read ${dir} (EISDIR)`);
  });
});
