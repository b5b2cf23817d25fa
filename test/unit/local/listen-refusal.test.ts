import { describe, expect, it } from "vitest";
import { listenRefusal } from "../../../infra/local/listen-refusal.ts";
import { StartupError } from "../../../infra/local/startup-error.ts";

const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });
const gateway = { host: "127.0.0.1", port: 80, portSetting: "PORT", hostSetting: "HOST" };

describe("why a server could not listen, in one line naming the setting", () => {
  it("a port below 1024 without privileges", () => {
    const refusal = listenRefusal(failure("EACCES"), gateway);
    expect(refusal).toBeInstanceOf(StartupError);
    expect(refusal?.message).toBe(
      "127.0.0.1:80: this user may not listen on port 80 (ports below 1024 need privileges); set PORT to a port " +
        "from 1024 up",
    );
  });

  it("a busy port of the embedded SQS endpoint names SQS_PORT", () => {
    const target = { host: "127.0.0.1", port: 8788, role: " (the embedded SQS endpoint)", portSetting: "SQS_PORT" };
    expect(listenRefusal(failure("EADDRINUSE"), target)?.message).toBe(
      "127.0.0.1:8788 (the embedded SQS endpoint) is already in use; stop what listens there or set SQS_PORT to " +
        "another port",
    );
  });

  it("a host name that does not resolve names HOST", () => {
    expect(listenRefusal(failure("ENOTFOUND"), { ...gateway, host: "gateway.invalid" })?.message).toBe(
      "cannot listen on gateway.invalid: not an address of this machine; set HOST to 127.0.0.1 (this machine only) " +
        "or 0.0.0.0 (every interface)",
    );
  });

  it("leaves any other failure as it is", () => {
    expect(listenRefusal(failure("EMFILE"), gateway)).toBeUndefined();
    expect(listenRefusal(new Error("odd"), gateway)).toBeUndefined();
  });
});
