/**
 * Forged and re-cut variants of one Twilio-signed webhook, for the hostile-input suites. Each variant is an ordered
 * list of name/value pairs (repeats allowed) plus the X-Twilio-Signature to send with it. `twilioValid` says whether
 * Twilio's own validator would accept it: a re-cut keeps the signature because Twilio joins sorted names and
 * values with no separator.
 */
import webhooks from "twilio/lib/webhooks/webhooks.js";
import { WebhookForm } from "../../lib/inbound/webhook-form.ts";
import { twilioSignature } from "../../lib/twilio/signature.ts";

export type Pairs = Array<[string, string]>;

export interface ForgedVariant {
  family: string;
  label: string;
  pairs: Pairs;
  signature: string | null;
  twilioValid: boolean;
}

export interface SignedOriginal {
  pairs: Pairs;
  url: string;
  token: string;
}

export function formBody(pairs: Pairs): string {
  return pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join("&");
}

export function signPairs(token: string, url: string, pairs: Pairs): string {
  return twilioSignature(token, url, WebhookForm.fromPairs(pairs).signedParams());
}

/** Every variant family, at least `minimum` variants in all (re-cuts are enumerated until there are enough). */
export function forgedVariants(original: SignedOriginal, minimum = 200): ForgedVariant[] {
  const signature = signPairs(original.token, original.url, original.pairs);
  const make = (family: string, label: string, pairs: Pairs, withSignature: string | null = signature) => ({
    family,
    label,
    pairs,
    signature: withSignature,
    // Computed on demand: the suites build hundreds of variant lists and read this for a few.
    get twilioValid() {
      const params = WebhookForm.fromPairs(pairs).signedParams();
      return withSignature !== null && webhooks.validateRequest(original.token, withSignature, original.url, params);
    },
  });
  const variants: ForgedVariant[] = [
    ...recutBodyTail(original.pairs).map(([label, pairs]) => make("body-tail-recut", label, pairs)),
    ...boundaryShifts(original.pairs).map(([label, pairs]) => make("boundary-shift", label, pairs)),
    ...swallows(original.pairs).map(([label, pairs]) => make("swallow", label, pairs)),
    ...foldBodyIntoPrevious(original.pairs).map(([label, pairs]) => make("fold-body", label, pairs)),
    ...duplicates(original.pairs).map(([label, pairs]) => make("duplicate", label, pairs)),
    ...appendedNames(original.pairs).map(([label, pairs]) => make("appended-name", label, pairs)),
    ...tamperedValues(original.pairs).map(([label, pairs]) => make("tampered-value", label, pairs)),
    ...badSignatures(original).map(([label, forged]) => make("bad-signature", label, original.pairs, forged)),
  ];
  if (variants.length < minimum) throw new Error(`only ${variants.length} variants; lengthen the original Body`);
  return variants;
}

function replace(pairs: Pairs, name: string, value: string): Pairs {
  return pairs.map(([n, v]) => [n, n === name ? value : v]);
}

function without(pairs: Pairs, name: string): Pairs {
  return pairs.filter(([n]) => n !== name);
}

/** Body's value cut anywhere, its tail turned into a new parameter (name = a prefix of the tail). */
function recutBodyTail(pairs: Pairs): Array<[string, Pairs]> {
  const body = pairs.find(([name]) => name === "Body")?.[1] ?? "";
  const out: Array<[string, Pairs]> = [];
  for (let cut = 1; cut < body.length; cut++) {
    const tail = body.slice(cut);
    for (let nameLength = 1; nameLength <= Math.min(tail.length, 6); nameLength++) {
      const name = tail.slice(0, nameLength);
      out.push([
        `Body=${JSON.stringify(body.slice(0, cut))} + ${JSON.stringify(name)}`,
        [...replace(pairs, "Body", body.slice(0, cut)), [name, tail.slice(nameLength)]],
      ]);
    }
  }
  return out;
}

/**
 * Every boundary between a value and the next name in signed order moved by up to 3 characters either way: the
 * concatenation, hence Twilio's signature, stays the same whenever the sorted order does.
 */
function boundaryShifts(pairs: Pairs): Array<[string, Pairs]> {
  const sorted = sortedPairs(pairs);
  const out: Array<[string, Pairs]> = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [name, value] = sorted[i] as [string, string];
    const [nextName, nextValue] = sorted[i + 1] as [string, string];
    for (let shift = 1; shift <= 3; shift++) {
      if (shift < nextName.length) {
        const moved = sorted.slice();
        moved[i] = [name, value + nextName.slice(0, shift)];
        moved[i + 1] = [nextName.slice(shift), nextValue];
        out.push([`${name} takes ${shift} of ${nextName}`, moved]);
      }
      if (shift <= value.length) {
        const moved = sorted.slice();
        moved[i] = [name, value.slice(0, value.length - shift)];
        moved[i + 1] = [value.slice(value.length - shift) + nextName, nextValue];
        out.push([`${nextName} takes ${shift} of ${name}'s value`, moved]);
      }
    }
  }
  return out;
}

/**
 * A value that swallows whole parameters after it in signed order (one or two, names and values), or only the next
 * name, the next value then standing as a name: the signature stays the same unless the sorted order changes.
 */
function swallows(pairs: Pairs): Array<[string, Pairs]> {
  const sorted = sortedPairs(pairs);
  const out: Array<[string, Pairs]> = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [name, value] = sorted[i] as [string, string];
    for (const count of [1, 2]) {
      const eaten = sorted.slice(i + 1, i + 1 + count);
      if (eaten.length < count) continue;
      const swallowed = eaten.map(([n, v]) => n + v).join("");
      out.push([
        `${name} swallows ${eaten.map(([n]) => n).join(" and ")}`,
        [...sorted.slice(0, i), [name, value + swallowed], ...sorted.slice(i + 1 + count)],
      ]);
    }
    const [nextName, nextValue] = sorted[i + 1] as [string, string];
    out.push([
      `${name} swallows the name ${nextName}`,
      [...sorted.slice(0, i), [name, value + nextName], [nextValue, ""], ...sorted.slice(i + 2)],
    ]);
  }
  return out;
}

function sortedPairs(pairs: Pairs): Pairs {
  return [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Body (name and all, or up to a word inside it) folded into the value of the parameter signed before it. */
function foldBodyIntoPrevious(pairs: Pairs): Array<[string, Pairs]> {
  const body = pairs.find(([name]) => name === "Body")?.[1] ?? "";
  const apiVersion = pairs.find(([name]) => name === "ApiVersion")?.[1] ?? "";
  const out: Array<[string, Pairs]> = [
    ["ApiVersion swallows Body", replace(without(pairs, "Body"), "ApiVersion", `${apiVersion}Body${body}`)],
  ];
  const inner = body.indexOf("Body");
  if (inner > 0) {
    out.push([
      "ApiVersion swallows Body's start, a Body inside the text takes over",
      replace(replace(pairs, "ApiVersion", `${apiVersion}Body${body.slice(0, inner)}`), "Body", body.slice(inner + 4)),
    ]);
  }
  return out;
}

/** Repeated names: Twilio's validator hashes a repeated identical value once. */
function duplicates(pairs: Pairs): Array<[string, Pairs]> {
  return pairs.flatMap(
    ([name, value]): Array<[string, Pairs]> => [
      [`${name} twice, same value`, [...pairs, [name, value]]],
      [`${name} twice, other value`, [...pairs, [name, `${value}x`]]],
    ],
  );
}

/** Names a parser may drop or mistake for built-ins, and names of other shapes. */
function appendedNames(pairs: Pairs): Array<[string, Pairs]> {
  const names = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "prototype", "", " Body", "body"];
  return names.flatMap(
    (name): Array<[string, Pairs]> => [
      [`+${JSON.stringify(name)}=x`, [...pairs, [name, "x"]]],
      [`+${JSON.stringify(name)}=`, [...pairs, [name, ""]]],
    ],
  );
}

function tamperedValues(pairs: Pairs): Array<[string, Pairs]> {
  return pairs.flatMap(
    ([name, value]): Array<[string, Pairs]> => [
      [`${name} changed`, replace(pairs, name, `${value}1`)],
      [`${name} removed`, without(pairs, name)],
      [`${name} upper-cased`, pairs.map(([n, v]): [string, string] => [n === name ? n.toUpperCase() : n, v])],
    ],
  );
}

function badSignatures(original: SignedOriginal): Array<[string, string | null]> {
  const good = signPairs(original.token, original.url, original.pairs);
  return [
    ["no signature", null],
    ["empty signature", ""],
    ["another token", signPairs(`${original.token}x`, original.url, original.pairs)],
    ["another URL", signPairs(original.token, `${original.url}/x`, original.pairs)],
    ["a query string the request lacks", signPairs(original.token, `${original.url}?a=1`, original.pairs)],
    ["upper-cased", good.toUpperCase()],
    ["truncated", good.slice(0, -2)],
    ["garbage", "not base64 at all"],
  ];
}

/** The attacker's own SMS, whose Body they wrote, and a re-cut of it that keeps the signature. */
export interface InjectionAttack {
  label: string;
  /** What Twilio really sent: the original with the attacker's crafted Body. */
  signed: Pairs;
  recut: Pairs;
}

/**
 * Re-cuts that turn text the sender wrote into parameters: Body carries `From<someone else>MessageSid<fresh sid>…`
 * and the name of a "swallower", which then holds Twilio's real parameters (From, sids, To …) as its value. Only
 * the combinations whose signed string is unchanged are returned.
 */
export function injectionAttacks(original: Pairs, fakes: Record<string, string>): InjectionAttack[] {
  const fakeSets = [["From"], ["From", "MessageSid"], ["From", "MessageSid", "To"], ["From", "SmsSid", "To"]];
  const swallowers = ["Fz", "FromZ", "Mallory", "Mz", "ToCity", "Tz", "Zz", "SmsSidZ", "NumMediaA"];
  const attacks: InjectionAttack[] = [];
  for (const names of fakeSets) {
    for (const swallower of swallowers) {
      const injected = names.map((name) => `${name}${fakes[name] ?? ""}`).join("");
      const signed = original.map(([name, value]): [string, string] =>
        name === "Body" ? [name, `hi${injected}${swallower}`] : [name, value],
      );
      const recut = recutInjection(signed, names, fakes, swallower);
      if (recut && concatenated(recut) === concatenated(signed)) {
        attacks.push({ label: `${names.join("+")} via ${swallower}`, signed, recut });
      }
    }
  }
  return attacks;
}

function recutInjection(
  signed: Pairs,
  names: string[],
  fakes: Record<string, string>,
  swallower: string,
): Pairs | undefined {
  const sorted = sortedPairs(signed);
  const afterBody = sorted.slice(sorted.findIndex(([name]) => name === "Body") + 1);
  const swallowed = afterBody.filter(([name]) => name <= swallower);
  const kept = afterBody.filter(([name]) => name > swallower);
  if (swallowed.length === 0 || names.some((name) => name >= swallower)) return undefined;
  return [
    ...sorted.filter(([name]) => name < "Body"),
    ["Body", "hi"],
    ...names.map((name): [string, string] => [name, fakes[name] ?? ""]),
    [swallower, swallowed.map(([name, value]) => name + value).join("")],
    ...kept,
  ];
}

function concatenated(pairs: Pairs): string {
  return sortedPairs(pairs)
    .map(([name, value]) => name + value)
    .join("");
}
