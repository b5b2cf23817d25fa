import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { type AccessState, type ApprovedEntry, emptyAccessState } from "../access/access-state.ts";

/** Reads the flat access item (layout documented in access/access-state.ts) into plain data. */
export function decodeAccessItem(item: Record<string, AttributeValue> | undefined): AccessState {
  const state = emptyAccessState();
  if (!item) return state;
  for (const [name, value] of Object.entries(item)) {
    const colon = name.indexOf(":");
    const prefix = colon === -1 ? name : name.slice(0, colon);
    const rest = name.slice(colon + 1);
    switch (prefix) {
      case "approved":
        state.approved.set(rest, {
          at: Number(value.M?.at?.N ?? 0),
          via: (value.M?.via?.S ?? "admin") as ApprovedEntry["via"],
        });
        break;
      case "pending":
        state.pending.push({
          phone: rest,
          code: value.M?.code?.S ?? "",
          createdAt: Number(value.M?.createdAt?.N ?? 0),
        });
        break;
      case "rate":
        state.rateCounters.set(name, Number(value.N ?? 0));
        break;
      case "pv":
        state.pendingVersion = Number(value.N ?? 0);
        break;
    }
  }
  state.pending.sort((a, b) => a.createdAt - b.createdAt);
  return state;
}

export function accessKey(accountId: string): Record<string, AttributeValue> {
  return { pk: { S: `ACCOUNT#${accountId}` }, sk: { S: "ACCESS" } };
}

/** Expression attribute names for arbitrary attribute names (phone numbers contain "+" and ":"). */
export class ExpressionNames {
  readonly names: Record<string, string> = {};
  private next = 0;

  ref(attribute: string): string {
    const placeholder = `#n${this.next++}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }
}
