import { type ChatModel, ModelError, type ModelRequest } from "../../lib/agent/chat-model.ts";
import type { Turn } from "../../lib/queue/messages.ts";

/** A model that answers from a script and records what it was asked; the real connectors have their own suites. */
export class ScriptedModel implements ChatModel {
  requests: ModelRequest[] = [];
  script: Array<string | ModelError> = [];
  async answer(request: ModelRequest) {
    this.requests.push(request);
    const next = this.script.shift() ?? `Answer to: ${request.message.text}`;
    if (next instanceof ModelError) throw next;
    return { text: next };
  }
}

let turnCounter = 0;

/** A valid turn of the default account from +15557654321, with a fresh MessageSid unless overridden. */
export function makeTurn(text: string, overrides: Partial<Turn> = {}): Turn {
  const sid = `SM${(++turnCounter).toString(16).padStart(32, "0")}`;
  return {
    version: 1,
    turnId: `default:${sid}`,
    account: "default",
    channel: "sms",
    messageSid: sid,
    from: "+15557654321",
    to: "+15551234567",
    text,
    media: [],
    receivedAt: "2026-12-02T12:00:00.000Z",
    ...overrides,
  };
}
