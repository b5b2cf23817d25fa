import { describe, expect, it } from "vitest";
import { ReceiptHandles } from "../../../infra/local/receipt-handles.ts";

describe("receipt handles", () => {
  it("names the message a handle was given for, once", () => {
    const handles = new ReceiptHandles();
    handles.received("m1", "h1");
    expect(handles.take("h1")).toBe("m1");
    expect(handles.take("h1")).toBeUndefined();
  });

  it("forgets a handle once the message is received again under a new one", () => {
    const handles = new ReceiptHandles();
    handles.received("m1", "h1");
    handles.received("m1", "h2");
    expect(handles.take("h1")).toBeUndefined();
    expect(handles.take("h2")).toBe("m1");
  });

  it("forgets every handle of a message that left the queue another way", () => {
    const handles = new ReceiptHandles();
    handles.received("m1", "h1");
    handles.forget("m1");
    expect(handles.take("h1")).toBeUndefined();
  });
});
