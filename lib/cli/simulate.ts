import { randomBytes } from "node:crypto";
import { normalisePhoneTarget } from "../access/phone.ts";
import { loadLocalConfig } from "../config/local-config.ts";
import type { ResolvedAccount } from "../config/types.ts";
import { stripFragment } from "../config/webhook-url.ts";
import { localBaseUrl } from "../http/local-base-url.ts";
import { OUTCOME_HEADER } from "../inbound/inbound-outcome.ts";
import { twilioSignature } from "../twilio/signature.ts";
import { CliError } from "./cli-error.ts";
import { type CommandContext, printJson } from "./io.ts";
import { describeSimulated } from "./simulate-outcome.ts";

export interface InboundFormInput {
  messageSid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  messagingServiceSid?: string;
}

/** The fields Twilio posts for an inbound SMS without media. */
export function buildInboundForm(input: InboundFormInput): Record<string, string> {
  return {
    SmsMessageSid: input.messageSid,
    NumMedia: "0",
    SmsSid: input.messageSid,
    SmsStatus: "received",
    Body: input.body,
    To: input.to,
    NumSegments: "1",
    MessageSid: input.messageSid,
    AccountSid: input.accountSid,
    From: input.from,
    ApiVersion: "2010-04-01",
    ...(input.messagingServiceSid ? { MessagingServiceSid: input.messagingServiceSid } : {}),
  };
}

export function randomMessageSid(random: (size: number) => Buffer = randomBytes): string {
  return `SM${random(16).toString("hex")}`;
}

/**
 * Where to post (the local gateway) and which URL to sign (what the gateway checks: publicWebhookUrl when set,
 * else the local URL of the account's webhook path).
 */
export function simulationUrls(
  account: Pick<ResolvedAccount, "publicWebhookUrl" | "webhookPath">,
  port: string,
  host = "127.0.0.1",
): { postUrl: string; signedUrl: string } {
  // The gateway's own base URL for the same HOST and PORT: what it checks signatures against.
  const local = `${localBaseUrl(host, Number(port))}${account.webhookPath}`;
  if (account.publicWebhookUrl === undefined) return { postUrl: local, signedUrl: local };
  const signedUrl = stripFragment(account.publicWebhookUrl);
  return { postUrl: `${local}${new URL(signedUrl).search}`, signedUrl };
}

/** The inline token from the config file, else the env variable the SecretRef names, else TWILIO_AUTH_TOKEN. */
export function authTokenFor(account: Pick<ResolvedAccount, "id" | "authToken">, env: CommandContext["io"]["env"]) {
  const token = account.authToken;
  if (token.source === "inline" && token.value !== "") return token.value;
  if (token.source === "env" && env[token.id]) return env[token.id] as string;
  if (env.TWILIO_AUTH_TOKEN) return env.TWILIO_AUTH_TOKEN;
  const where = token.source === "env" ? token.id : "TWILIO_AUTH_TOKEN";
  throw new CliError(
    `simulate signs like Twilio and needs account "${account.id}"'s auth token: write it in the config file or set ${where}`,
  );
}

/** `simulate --from --body [--to] [--account]`: a signed inbound SMS, posted to the local gateway. */
export async function runSimulate({ line, io }: CommandContext): Promise<number> {
  const config = loadLocalConfig(io.env, io.env.SMS_DATA_DIR || ".data", { createDemo: false }).resolved;
  const accountId = typeof line.options.account === "string" ? line.options.account : config.defaultAccount;
  const account = config.accounts.find((candidate) => candidate.id === accountId);
  if (!account) {
    const known = config.accounts.map((candidate) => candidate.id).join(", ");
    throw new CliError(`--account: no SMS account "${accountId}" in the config (configured: ${known})`);
  }
  const from = phoneOption(String(line.options.from), "--from");
  const to =
    typeof line.options.to === "string"
      ? phoneOption(line.options.to, "--to")
      : (account.fromNumber ??
        failWith(`--to: required, since account "${account.id}" sends through a Messaging Service (no fromNumber)`));
  const token = authTokenFor(account, io.env);
  const { postUrl, signedUrl } = simulationUrls(account, io.env.PORT || "8787", io.env.HOST || undefined);

  const messageSid = randomMessageSid();
  const form = buildInboundForm({
    messageSid,
    accountSid: account.accountSid,
    from,
    to,
    body: String(line.options.body),
    ...(account.messagingServiceSid ? { messagingServiceSid: account.messagingServiceSid } : {}),
  });
  let response: Response;
  try {
    response = await io.fetch(postUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilioSignature(token, signedUrl, form),
        "user-agent": "TwilioProxy/1.1 (smsctl simulate)",
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new CliError(`cannot reach the local gateway at ${postUrl}: is the local gateway running? (npm start)`);
  }
  const text = await response.text();
  const outcome = response.headers.get(OUTCOME_HEADER) ?? undefined;
  if (line.json) {
    printJson(io, {
      account: account.id,
      messageSid,
      from,
      to,
      postUrl,
      signedUrl,
      status: response.status,
      outcome: outcome ?? null,
      response: text,
    });
  }
  if (response.status === 403) throw new CliError(signatureRefusedHint(account.id, signedUrl));
  if (!response.ok) throw new CliError(`the gateway answered HTTP ${response.status}: ${text.trim().slice(0, 300)}`);
  if (!line.json) {
    const accountOption = account.id === config.defaultAccount ? "" : ` --account ${account.id}`;
    const [what, ...next] = await describeSimulated({ account, accountOption, from, outcome }, io);
    io.out(
      [`Simulated SMS ${messageSid} from ${from} to ${to} (account "${account.id}"): ${what}.`, ...next].join("\n"),
    );
  }
  return 0;
}

/** A 403 means the gateway checked another URL or token than simulate signed with: say which, and how they differ. */
export function signatureRefusedHint(accountId: string, signedUrl: string): string {
  return (
    `the gateway refused the signature (HTTP 403): simulate signed ${signedUrl} with account "${accountId}"'s auth ` +
    'token, and the gateway checks the URL its banner names after "signature checked against". Run simulate with ' +
    "the gateway's PORT, HOST and SMS_CONFIG (the same auth token), and set publicWebhookUrl only to a URL that " +
    "really reaches this gateway"
  );
}

function phoneOption(value: string, flag: string): string {
  const phone = normalisePhoneTarget(value);
  if (phone === null) throw new CliError(`${flag}: expected an E.164 number such as +15551234567, got "${value}"`, 2);
  return phone;
}

function failWith(message: string): never {
  throw new CliError(message, 2);
}
