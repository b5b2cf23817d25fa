export interface ConfigIssue {
  /** Key path as the user wrote it, e.g. `channels.sms.accounts.support.allowFrom[1]`. */
  path: string;
  message: string;
}

/** Every problem with a config at once, so a user fixes them in one pass. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], source = "config") {
    super(`invalid ${source}:\n${issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join("\n")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

export function formatKeyPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
