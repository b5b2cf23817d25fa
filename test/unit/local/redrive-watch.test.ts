import { describe, expect, it } from "vitest";
import { RedriveWatch } from "../../../infra/local/redrive-watch.ts";

describe("watching for fauxqs's redrive", () => {
  const watch = () => new RedriveWatch({ turns: { deadLetter: "turnsDlq", maxReceiveCount: 2 } });

  it("marks a message due to move once it was received maxReceiveCount times", () => {
    const redrive = watch();
    redrive.received("turns", "m1");
    expect(redrive.dueIn("turns")).toEqual([]);
    redrive.received("turns", "m1");
    redrive.received("turns", "m2");
    expect(redrive.dueIn("turns")).toEqual(["m1"]);
  });

  it("forgets a message that was deleted or moved", () => {
    const redrive = watch();
    redrive.received("turns", "m1");
    redrive.received("turns", "m1");
    redrive.forget("m1");
    expect(redrive.dueIn("turns")).toEqual([]);
    redrive.received("turns", "m1");
    expect(redrive.dueIn("turns")).toEqual([]);
  });

  it("ignores queues without a redrive policy", () => {
    const redrive = watch();
    for (let receive = 0; receive < 5; receive++) redrive.received("replies", "m1");
    expect(redrive.dueIn("replies")).toEqual([]);
    expect(redrive.policyOf("replies")).toBeUndefined();
  });
});
