import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleFunction } from "../../infra/bundle.ts";
import { FUNCTION_NAMES } from "../../infra/bundle-options.ts";
import { ACCOUNT_SID, deployedAssetFile, type SynthResult, smsConfig, synthStack } from "../support/synth.ts";

// monitoring.tracing: X-Ray on every function and the API stage when on; when off, not a trace of it in the
// template or the bundles.

const sms = (monitoring: Record<string, unknown>) => ({
  accountSid: ACCOUNT_SID,
  authToken: "tracing-token",
  fromNumber: "+15551234567",
  monitoring,
  accounts: { work: { fromNumber: "+15551230002", agent: { kind: "bedrock", modelId: "amazon.nova-lite-v1:0" } } },
});

type Resource = { Properties: Record<string, unknown> };
interface Statement {
  Action: string | string[];
  Resource: unknown;
}

const X_RAY_ACTIONS = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"];

function resources(result: SynthResult, type: string): Resource[] {
  return Object.values(result.template.findResources(type)) as Resource[];
}

function policyStatements(result: SynthResult): Statement[] {
  return resources(result, "AWS::IAM::Policy").flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

const actionsOf = (statement: Statement) => [statement.Action].flat().sort();

/** The bundle a synthesized function deploys. */
const deployedCode = (result: SynthResult, logicalId: string) => deployedAssetFile(result, logicalId, "index.mjs");

describe("tracing on (monitoring.tracing: true)", () => {
  let result: SynthResult;
  beforeAll(() => {
    result = synthStack(smsConfig(sms({ tracing: true })));
  });

  it("traces every function actively", () => {
    const functions = resources(result, "AWS::Lambda::Function");
    expect(functions).toHaveLength(4);
    for (const fn of functions) expect(fn.Properties.TracingConfig).toEqual({ Mode: "Active" });
  });

  it("ships every function's traced bundle, and keeps handler error messages out of traces", () => {
    for (const [id, fn] of Object.entries(result.template.findResources("AWS::Lambda::Function"))) {
      expect(deployedCode(result, id).includes("Twilio ## "), `${id} deploys an untraced bundle`).toBe(true);
      const environment = (fn.Properties as { Environment: { Variables: Record<string, string> } }).Environment;
      expect(environment.Variables.POWERTOOLS_TRACER_CAPTURE_ERROR).toBe("false");
    }
  });

  it("traces the API stage", () => {
    result.template.hasResourceProperties("AWS::ApiGateway::Stage", { TracingEnabled: true });
  });

  it("lets each function's role write traces, and nothing else has a wildcard resource", () => {
    const wildcard = policyStatements(result).filter((statement) => statement.Resource === "*");
    expect(wildcard.map(actionsOf)).toEqual([X_RAY_ACTIONS, X_RAY_ACTIONS, X_RAY_ACTIONS, X_RAY_ACTIONS]);
  });
});

describe("tracing off (the default)", () => {
  it("has no tracing config, no stage tracing and no X-Ray permission, with monitoring or without", () => {
    for (const monitoring of [{ tracing: false }, { alarmEmail: "ops@example.com" }]) {
      const result = synthStack(smsConfig(sms(monitoring)));
      for (const fn of resources(result, "AWS::Lambda::Function")) expect(fn.Properties.TracingConfig).toBeUndefined();
      for (const stage of resources(result, "AWS::ApiGateway::Stage")) {
        expect(stage.Properties.TracingEnabled).toBeUndefined();
      }
      expect(result.json).not.toContain("xray:");
      expect(result.json).not.toContain("POWERTOOLS_TRACER_CAPTURE_ERROR");
      for (const id of Object.keys(result.template.findResources("AWS::Lambda::Function"))) {
        expect(deployedCode(result, id).includes("Twilio ## "), `${id} deploys a traced bundle`).toBe(false);
      }
    }
  });
});

describe("the tracer in the bundles", () => {
  const RUNTIME_CONFIG = JSON.stringify({ version: 1, defaultAccount: "default", accounts: [] });
  /** Strings only the X-Ray SDK, the Powertools tracer and the traced Twilio client put in a bundle. */
  const TRACER_CODE = ["aws-xray-sdk", "XRaySDKInstrumentation", "POWERTOOLS_TRACER_CAPTURE", "Twilio ## "];

  const code = (name: (typeof FUNCTION_NAMES)[number], tracing: boolean) =>
    readFileSync(join(bundleFunction(name, RUNTIME_CONFIG, { tracing }), "index.mjs"), "utf8");

  it.each(FUNCTION_NAMES)("%s: off, no tracer code at all; on, the tracer", (name) => {
    const off = code(name, false);
    const on = code(name, true);
    for (const marker of TRACER_CODE) {
      // Booleans, so a failure names the marker instead of printing half a megabyte of bundle.
      expect(off.includes(marker), `tracing off, ${name} contains "${marker}"`).toBe(false);
      expect(on.includes(marker), `tracing on, ${name} lacks "${marker}"`).toBe(true);
    }
  });
});
