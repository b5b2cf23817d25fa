import { describe, expect, it } from "vitest";
import { localBaseUrl } from "../../../lib/http/local-base-url.ts";

describe("localBaseUrl", () => {
  it("calls a gateway listening on every interface at 127.0.0.1, the URL smsctl simulate signs", () => {
    expect(localBaseUrl("0.0.0.0", 8787)).toBe("http://127.0.0.1:8787");
    expect(localBaseUrl("::", 8787)).toBe("http://127.0.0.1:8787");
  });

  it("keeps a named host, bracketing IPv6 addresses", () => {
    expect(localBaseUrl("127.0.0.1", 9000)).toBe("http://127.0.0.1:9000");
    expect(localBaseUrl("localhost", 9000)).toBe("http://localhost:9000");
    expect(localBaseUrl("::1", 9000)).toBe("http://[::1]:9000");
  });
});
