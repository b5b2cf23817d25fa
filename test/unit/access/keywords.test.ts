import { describe, expect, it } from "vitest";
import { classifyKeyword } from "../../../lib/access/keywords.ts";

describe("opt-out keywords", () => {
  it.each([
    "STOP",
    "stop",
    " Stop ",
    "stop.",
    "STOP!",
    "StopAll",
    "unsubscribe",
    "CANCEL",
    "end",
    "quit",
    "revoke",
    "optout",
  ])("%j opts out", (body) => expect(classifyKeyword(body)).toBe("opt-out"));
  it.each(["START", "yes", "Unstop", " start! "])("%j opts back in", (body) =>
    expect(classifyKeyword(body)).toBe("opt-in"),
  );
  it.each(["HELP", "info", "Help?"])("%j is help", (body) => expect(classifyKeyword(body)).toBe("help"));
  it.each(["please stop", "stop it", "STOP STOP", "", "stopping", "yes please", "helpful"])(
    "%j is an ordinary message",
    (body) => expect(classifyKeyword(body)).toBeNull(),
  );
});
