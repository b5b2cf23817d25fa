import type { Fields } from "./fauxqs-access.ts";

const TEXT_FIELDS = ["MessageBody", "MessageGroupId", "MessageDeduplicationId"] as const;

/**
 * What is wrong with a SendMessage or SendMessageBatch request whose body, group or dedupe id is there but not a
 * string ("Entries[1].MessageGroupId: expected a string, got number"); undefined when nothing is. fauxqs only asks
 * a group or dedupe id to be truthy, so it queues a numeric one, which the journal cannot keep: the message would
 * be journaled without it and could not be queued again after a crash. null counts as absent, as in AWS JSON.
 */
export function sendFieldProblem(action: string, body: unknown): string | undefined {
  if (!isFields(body)) return undefined;
  if (action === "SendMessage") return entryProblem(body, "");
  if (action !== "SendMessageBatch" || !Array.isArray(body.Entries)) return undefined;
  for (const [index, entry] of body.Entries.entries()) {
    const problem = isFields(entry)
      ? entryProblem(entry, `Entries[${index}].`)
      : `Entries[${index}]: expected an object, got ${kindOf(entry)}`;
    if (problem) return problem;
  }
  return undefined;
}

function entryProblem(entry: Fields, prefix: string): string | undefined {
  const field = TEXT_FIELDS.find((name) => entry[name] != null && typeof entry[name] !== "string");
  return field && `${prefix}${field}: expected a string, got ${kindOf(entry[field])}`;
}

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}
