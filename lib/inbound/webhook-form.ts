import type { FormParams } from "../twilio/signature.ts";

/**
 * A Twilio webhook body exactly as sent: every name=value pair in order, repeats and blank values included, names
 * like `__proto__` or `constructor` as ordinary names. The signature is checked over all of them and nothing is
 * read that the check did not see.
 */
export class WebhookForm {
  private constructor(readonly pairs: ReadonlyArray<readonly [string, string]>) {}

  /** application/x-www-form-urlencoded, leniently: broken escapes stay as written, as Twilio's validators read them. */
  static parse(body: string): WebhookForm {
    return new WebhookForm([...new URLSearchParams(body)]);
  }

  static fromPairs(pairs: ReadonlyArray<readonly [string, string]>): WebhookForm {
    return new WebhookForm(pairs);
  }

  /** What Twilio's validator hashes: each name once, a repeated name with all its values. */
  signedParams(): FormParams {
    const params: FormParams = Object.create(null);
    for (const [name, value] of this.pairs) {
      const existing = params[name];
      if (existing === undefined) params[name] = value;
      else params[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    return params;
  }

  /** The first value of `name`; callers refuse repeated names first (Twilio sends each once). */
  get(name: string): string | undefined {
    return this.pairs.find(([candidate]) => candidate === name)?.[1];
  }

  has(name: string): boolean {
    return this.pairs.some(([candidate]) => candidate === name);
  }

  /** Distinct names in the order Twilio's signature concatenates them (plain code-unit sort). */
  signedOrder(): string[] {
    return [...new Set(this.pairs.map(([name]) => name))].sort();
  }

  /** Names sent more than once. */
  repeatedNames(): string[] {
    const seen = new Set<string>();
    const repeated = new Set<string>();
    for (const [name] of this.pairs) {
      if (seen.has(name)) repeated.add(name);
      seen.add(name);
    }
    return [...repeated];
  }
}
