import type { WebhookSetResult, WebhookSetting, WebhookTarget } from "../admin/webhook-set.ts";

/** `webhook set`: each sender before and after, and whether anything changed at Twilio. */
export function formatWebhookSet(result: WebhookSetResult): string {
  const changed = result.targets.filter((target) => target.changed).length;
  const head = result.dryRun
    ? `Dry run for account "${result.account}": nothing was changed at Twilio.`
    : changed === 0
      ? `Account "${result.account}": already pointed at ${result.webhookUrl} (POST); nothing to change.`
      : `Account "${result.account}": pointed ${changed} sender(s) at ${result.webhookUrl} (POST).`;
  return [head, ...result.targets.flatMap((target) => formatTarget(target, result.dryRun))].join("\n");
}

function formatTarget(target: WebhookTarget, dryRun: boolean): string[] {
  const what = target.kind === "number" ? `number ${target.name}` : `Messaging Service "${target.name}"`;
  const unchanged = sameSetting(target.before, target.after);
  const afterLabel = dryRun ? "would be" : "after";
  return [
    `  ${what} (${target.sid})${unchanged ? ": already set" : ""}`,
    `    before    ${describe(target.before)}`,
    ...(unchanged ? [] : [`    ${afterLabel.padEnd(8)}  ${describe(target.after)}`]),
  ];
}

function describe(setting: WebhookSetting): string {
  const app = setting.smsApplicationSid ? `; SMS TwiML App ${setting.smsApplicationSid} (used instead)` : "";
  return `${setting.url ?? "(not set)"} (${setting.method ?? "no method"})${app}`;
}

function sameSetting(a: WebhookSetting, b: WebhookSetting): boolean {
  return (
    a.url === b.url &&
    (a.method ?? "").toUpperCase() === (b.method ?? "").toUpperCase() &&
    a.smsApplicationSid === b.smsApplicationSid
  );
}
