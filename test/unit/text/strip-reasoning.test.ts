import { describe, expect, it } from "vitest";
import { renderReply, stripReasoning } from "../../../lib/text/index.ts";
import { KEPT, REMOVED } from "./reasoning-corpus.ts";

describe("reasoning and scaffolding never reach the phone", () => {
  it.each(REMOVED)("$name", ({ reply, sent }) => {
    const rendered = renderReply(reply);
    expect(rendered.bodies).toEqual(sent === "" ? [] : [sent]);
    expect(rendered.reasoningRemoved).toBe(true);
  });

  it.each(KEPT)("keeps $name as written", ({ reply }) => {
    expect(stripReasoning(reply)).toEqual({ text: reply, removed: false });
  });

  it("keeps code that shows the tags byte for byte in what is sent", () => {
    expect(renderReply("Like this:\n\n```html\n<think>reasoning</think>\n<!-- note -->\n```").bodies).toEqual([
      "Like this:\n\n<think>reasoning</think>\n<!-- note -->",
    ]);
    expect(renderReply("R1 emits `<think>` first.").bodies).toEqual(["R1 emits <think> first."]);
  });

  it("changes nothing when run again: the agent strips what it remembers, the sender strips what it sends", () => {
    const replies = [
      ...REMOVED.map((c) => c.reply),
      ...KEPT.map((c) => c.reply),
      "<think>plan</think>To end a block, write </think> after it.",
      "<think>a</think>\n\n<think>still thinking, cut off",
      "</think>\nA </think>\nB",
      "x <think>a <think>b</think> y",
      "<!-- a --> </think>\nrest",
      "<thi<!-- x -->nk>secret</think>visible",
      "<!--x-->```\n```\n<!--y-->",
      "<think>a<think>b</think>c</think>Answer.",
    ];
    for (const reply of replies) {
      const once = stripReasoning(reply).text;
      expect(stripReasoning(once).text, JSON.stringify(reply)).toBe(once);
    }
  });

  it("says nothing was removed from an ordinary reply", () => {
    expect(renderReply("Sunny, 24C.")).toEqual({ bodies: ["Sunny, 24C."], cuts: [], reasoningRemoved: false });
  });
});
