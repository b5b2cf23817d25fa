import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { App, CfnElement } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { SmsChannelStack, type SmsChannelStackProps } from "../../infra/stack.ts";
import { type Env, resolveConfig } from "../../lib/config/resolve.ts";
import type { ResolvedConfig } from "../../lib/config/types.ts";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Placeholder SIDs in Twilio's shapes (AC/MG + 32 hex), so configs pass validation. */
export const ACCOUNT_SID = `AC${"0123456789abcdef".repeat(2)}`;
export const OTHER_ACCOUNT_SID = `AC${"fedcba9876543210".repeat(2)}`;
export const MESSAGING_SERVICE_SID = `MG${"0123456789abcdef".repeat(2)}`;

/** A validated config from the `channels.sms` section, as a user would write it. */
export function smsConfig(sms: Record<string, unknown>, env: Env = {}): ResolvedConfig {
  return resolveConfig({ channels: { sms } }, env);
}

export interface SynthResult {
  app: App;
  stack: SmsChannelStack;
  template: Template;
  /** The template as JSON text, for "never contains" checks. */
  json: string;
}

/**
 * Synthesizes one SmsChannelStack in process, with cdk.json's feature flags so the template matches a CLI synth.
 * No cdk-nag plugin here: the nag tests run the pack themselves to list findings by name.
 */
export function synthStack(
  config: ResolvedConfig,
  props: Omit<SmsChannelStackProps, "config"> = {},
  stackName = "SmsChannel",
): SynthResult {
  const app = new App({ context: { ...cdkJsonContext(), "aws:cdk:enable-asset-metadata": true } });
  const stack = new SmsChannelStack(app, stackName, { config, ...props });
  const template = Template.fromStack(stack);
  return { app, stack, template, json: JSON.stringify(template.toJSON()) };
}

/** The CloudFormation logical id of a construct (its default child, e.g. the CfnFunction of a Function). */
export function logicalIdOf(result: SynthResult, construct: IConstruct): string {
  const element = construct.node.defaultChild ?? construct;
  if (!CfnElement.isCfnElement(element)) throw new Error(`${construct.node.path} has no CloudFormation element`);
  return result.stack.resolve(element.logicalId) as string;
}

/** The runtime-config.json bundled into a function's asset, read back from the cloud assembly. */
export function bundledRuntimeConfig(result: SynthResult, fn: IConstruct): unknown {
  return JSON.parse(deployedAssetFile(result, logicalIdOf(result, fn), "runtime-config.json"));
}

/** A file of the code asset a synthesized function deploys, e.g. its bundle `index.mjs`. */
export function deployedAssetFile(result: SynthResult, logicalId: string, file: string): string {
  const resource = result.template.toJSON().Resources?.[logicalId] as
    | { Metadata?: Record<string, unknown> }
    | undefined;
  const assetPath = resource?.Metadata?.["aws:asset:path"];
  if (typeof assetPath !== "string") throw new Error(`${logicalId} has no asset path metadata`);
  return readFileSync(join(result.app.outdir, assetPath, file), "utf8");
}

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdk.json"), "utf8")) as { context?: object };
  return { ...cdkJson.context };
}
