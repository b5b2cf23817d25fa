import { describe, expect, it } from "vitest";
import { type JournaledMessage, replay } from "../../../infra/local/queue-journal-records.ts";

const message = (id: string, body = id): JournaledMessage => ({ id, queue: "turns", body, groupId: "g" });
const ids = (live: Map<string, JournaledMessage>) => [...live.keys()];

describe("replaying the queue journal", () => {
  it("keeps what was sent and not deleted, in first-sent order", () => {
    const live = replay(
      [],
      [
        { op: "send", ...message("a") },
        { op: "send", ...message("b") },
        { op: "send", ...message("c") },
        { op: "delete", id: "b" },
      ],
    );
    expect(ids(live)).toEqual(["a", "c"]);
    expect(live.get("a")).toEqual(message("a"));
  });

  it("moves a message to a dead-letter queue without changing its place", () => {
    const live = replay([message("a"), message("b")], [{ op: "move", id: "a", queue: "turnsDlq" }]);
    expect(ids(live)).toEqual(["a", "b"]);
    expect(live.get("a")?.queue).toBe("turnsDlq");
  });

  it("ignores a second send of an id (a dedupe hit), even after the first was deleted", () => {
    const live = replay(
      [],
      [
        { op: "send", ...message("a") },
        { op: "delete", id: "a" },
        { op: "send", ...message("a") },
      ],
    );
    expect(ids(live)).toEqual([]);
  });

  it("replays records made during a checkpoint on top of it, whether or not the checkpoint saw them", () => {
    const checkpoint = [message("seen-and-kept"), message("seen-then-deleted")];
    const live = replay(checkpoint, [
      { op: "send", ...message("seen-and-kept") },
      { op: "delete", id: "seen-then-deleted" },
      { op: "send", ...message("sent-after") },
      { op: "send", ...message("sent-and-deleted-after") },
      { op: "delete", id: "sent-and-deleted-after" },
      { op: "delete", id: "deleted-before-it-read" },
    ]);
    expect(ids(live)).toEqual(["seen-and-kept", "sent-after"]);
  });
});
