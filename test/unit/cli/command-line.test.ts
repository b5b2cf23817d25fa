import { describe, expect, it } from "vitest";
import { adminRequestFor } from "../../../lib/cli/admin-commands.ts";
import { CliError } from "../../../lib/cli/cli-error.ts";
import { type CommandLine, parseCommandLine } from "../../../lib/cli/command-line.ts";
import { COMMANDS } from "../../../lib/cli/commands.ts";

function line(argv: string[]): CommandLine {
  const parsed = parseCommandLine(argv);
  if (parsed.kind !== "command") throw new Error(`expected a command, got ${JSON.stringify(parsed)}`);
  return parsed.line;
}

function usageError(argv: string[]): string {
  const parsed = parseCommandLine(argv);
  if (parsed.kind !== "usage-error") throw new Error(`expected a usage error, got ${parsed.kind}`);
  return parsed.message;
}

describe("parseCommandLine", () => {
  it("finds two-word and one-word commands with their arguments and options", () => {
    expect(line(["pairing", "approve", "abcd2345", "--account", "support"])).toMatchObject({
      command: { id: "pairing.approve" },
      args: ["abcd2345"],
      options: { account: "support" },
      json: false,
    });
    expect(line(["--json", "status", "--probe"])).toMatchObject({
      command: { id: "status" },
      options: { probe: true },
      json: true,
    });
    expect(line(["capabilities", "--url", "https://x.lambda-url.us-east-1.on.aws/"])).toMatchObject({
      url: "https://x.lambda-url.us-east-1.on.aws/",
    });
  });

  it("reads repeated --media and values that look like words of other commands", () => {
    const parsed = line([
      "message",
      "send",
      "--target",
      "sms:+15551234567",
      "--message",
      "pairing list",
      "--media",
      "https://a.example/1.png",
      "--media",
      "https://a.example/2.png",
    ]);
    expect(parsed.options).toEqual({
      target: "sms:+15551234567",
      message: "pairing list",
      media: ["https://a.example/1.png", "https://a.example/2.png"],
    });
  });

  it("shows help for the root, a group and every command", () => {
    expect(parseCommandLine(["--help"])).toMatchObject({ kind: "help" });
    const group = parseCommandLine(["allow", "--help"]);
    expect(group.kind === "help" && group.text).toContain("allow add <+E164>");
    for (const command of COMMANDS) {
      const help = parseCommandLine([...command.words, "--help"]);
      expect(help.kind).toBe("help");
      if (help.kind === "help") expect(help.text).toContain(`Usage: smsctl ${command.words.join(" ")}`);
    }
  });

  it("follows the usual conventions: -h, help [command], --version and -v", () => {
    const root = parseCommandLine(["--help"]);
    expect(parseCommandLine(["-h"])).toEqual(root);
    expect(parseCommandLine(["help"])).toEqual(root);
    expect(parseCommandLine(["help", "pairing", "approve"])).toEqual(parseCommandLine(["pairing", "approve", "-h"]));
    expect(parseCommandLine(["config", "patch", "-h"])).toMatchObject({ kind: "help" });
    for (const flag of ["--version", "-v"]) {
      expect(parseCommandLine([flag])).toEqual({ kind: "help", text: "smsctl (sms-channel) 0.1.0" });
    }
  });

  it("offers --url only to the commands that talk to the admin API", () => {
    const helpOf = (words: string[]) => {
      const parsed = parseCommandLine([...words, "--help"]);
      return parsed.kind === "help" ? parsed.text : "";
    };
    expect(helpOf(["status"])).toContain("--url <url>");
    expect(helpOf(["config", "patch"])).not.toContain("--url");
    expect(helpOf(["simulate"])).not.toContain("--url");
    expect(
      usageError([
        "simulate",
        "--url",
        "https://x.lambda-url.us-east-1.on.aws",
        "--from",
        "+15551234567",
        "--body",
        "hi",
      ]),
    ).toBe("--url does not apply to simulate: it posts to the local gateway on PORT (and HOST)");
    expect(usageError(["config", "patch", "--file", "p.json5", "--url=https://x"])).toBe(
      "--url does not apply to config patch: it edits the config file SMS_CONFIG names",
    );
  });

  it("explains what is wrong with a command line", () => {
    expect(usageError([])).toBe("expected a command");
    expect(usageError(["frobnicate"])).toBe('unknown command "frobnicate"');
    expect(usageError(["pairing"])).toBe('"pairing" needs a subcommand: list, approve, deny');
    expect(usageError(["pairing", "accept"])).toBe('unknown command "pairing accept"');
    expect(usageError(["pairing", "approve"])).toBe("missing <CODE>: the code from the pairing SMS (any case)");
    expect(usageError(["pairing", "approve", "A", "B"])).toBe('unexpected argument "B"');
    expect(usageError(["pairing", "list", "--probe"])).toMatch(/^unknown option '--probe'/);
    expect(usageError(["message", "send", "--message", "hi"])).toBe("missing --target <sms:+E164>");
    expect(usageError(["config", "patch"])).toBe("missing --file <patch.json5>");
    expect(usageError(["simulate", "--from", "+15551234567"])).toBe("missing --body <text>");
    expect(usageError(["status", "--account"])).toMatch(/^option '--account <value>' argument missing/);
  });
});

describe("adminRequestFor", () => {
  it("maps commands to admin API calls", () => {
    expect(adminRequestFor(line(["pairing", "list"]))).toEqual({
      method: "GET",
      path: "/pairing",
      query: { account: undefined },
    });
    expect(adminRequestFor(line(["pairing", "deny", "abcd2345", "--account", "x"]))).toEqual({
      method: "POST",
      path: "/pairing/deny",
      body: { code: "abcd2345", account: "x" },
    });
    expect(adminRequestFor(line(["allow", "add", "twilio-sms:+15551234567"]))).toEqual({
      method: "POST",
      path: "/allow/add",
      body: { phone: "+15551234567" },
    });
    expect(adminRequestFor(line(["status", "--probe"]))).toEqual({
      method: "GET",
      path: "/status",
      query: { account: undefined, probe: "1" },
    });
    expect(
      adminRequestFor(line(["message", "send", "--target", "+15551234567", "--message", "hi", "--account", "a"])),
    ).toEqual({ method: "POST", path: "/messages", body: { target: "sms:+15551234567", message: "hi", account: "a" } });
  });

  it("rejects a malformed target or number before calling anything", () => {
    expect(() => adminRequestFor(line(["message", "send", "--target", "5551234", "--message", "x"]))).toThrow(
      new CliError('--target: expected sms:+E164, twilio-sms:+E164, +E164 (e.g. sms:+15551234567), got "5551234"', 2),
    );
    expect(() => adminRequestFor(line(["allow", "remove", "555"]))).toThrow(/^\+E164: expected an E\.164 number/);
  });
});
