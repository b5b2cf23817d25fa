import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTwilioStandIn, type TwilioStandIn } from "../../infra/local/twilio-stand-in.ts";
import { prepareTurnMedia } from "../../lib/agent/turn-media.ts";
import { createTwilioMediaFetcher, type TwilioMediaFetcherOptions } from "../../lib/agent/twilio-media-fetcher.ts";

const ACCOUNT_SID = `AC${"ab".repeat(16)}`;
const TOKEN = "media-token-0001";
const OTHER_ACCOUNT_SID = `AC${"cd".repeat(16)}`;
const OTHER_TOKEN = "media-token-0002";
const MESSAGE_SID = `MM${"12".repeat(16)}`;
const MISSING_MEDIA_URL = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${MESSAGE_SID}/Media/ME${"0".repeat(32)}`;
/** A PNG signature and some bytes: what Twilio stores is whatever the phone sent. */
const PNG = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  ...Array.from({ length: 500 }, (_, i) => i),
]);
const LIMIT = { maxBytes: 3_750_000 };

let standIn: TwilioStandIn;

beforeEach(async () => {
  standIn = await startTwilioStandIn({ accounts: { [ACCOUNT_SID]: TOKEN, [OTHER_ACCOUNT_SID]: OTHER_TOKEN } });
});

afterEach(async () => {
  await standIn.close();
});

function fetcher(options: Partial<TwilioMediaFetcherOptions> = {}) {
  return createTwilioMediaFetcher({
    accountSid: ACCOUNT_SID,
    authToken: async () => TOKEN,
    baseUrl: standIn.url,
    timeoutMs: 5_000,
    ...options,
  });
}

function addPng(options: { chunked?: boolean; delayMs?: number; data?: Uint8Array } = {}): string {
  return standIn.addMedia({
    accountSid: ACCOUNT_SID,
    messageSid: MESSAGE_SID,
    contentType: "image/png",
    data: options.data ?? PNG,
    ...options,
  });
}

const requestPaths = () => standIn.requests.map((r) => r.path);

describe("downloading through Twilio's redirect", () => {
  it("fetches the media with Basic auth, then the storage URL without the Authorization header", async () => {
    const url = addPng();
    const result = await fetcher()(url, LIMIT);
    expect(result).toEqual({ kind: "fetched", data: PNG });
    const mediaPath = new URL(url).pathname;
    expect(requestPaths()).toEqual([mediaPath, expect.stringMatching(/^\/media-storage\/[0-9a-f]{32}$/)]);
    expect(standIn.mediaDownloads).toEqual([{ mediaSid: mediaPath.split("/").at(-1), authorization: false }]);
  });

  it("the stand-in would notice a client that sends Authorization on (fetch's default for same-origin redirects)", async () => {
    const url = addPng();
    const authorization = `Basic ${Buffer.from(`${ACCOUNT_SID}:${TOKEN}`).toString("base64")}`;
    const response = await fetch(`${standIn.url}${new URL(url).pathname}`, { headers: { authorization } });
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG);
    expect(standIn.mediaDownloads.map((d) => d.authorization)).toEqual([true]);
  });

  it("gives an MMS image to the model through prepareTurnMedia, describing what is not there", async () => {
    const url = addPng();
    const media = await prepareTurnMedia(
      {
        media: [
          { url, contentType: "image/png" },
          { url: MISSING_MEDIA_URL, contentType: "image/jpeg" },
          { url: MISSING_MEDIA_URL, contentType: "audio/amr" },
        ],
        mediaOmitted: 2,
      },
      fetcher(),
    );
    expect(media).toEqual({
      images: [{ mediaType: "image/png", data: PNG }],
      lines: [
        "[attachment could not be fetched: image/jpeg (HTTP 404)]",
        "[attachment: audio/amr]",
        "[2 more attachments were not delivered]",
      ],
    });
  });
});

describe("Twilio's refusals", () => {
  it("answers a wrong token with HTTP 401, naming no token", async () => {
    const url = addPng();
    const result = await fetcher({ authToken: async () => "wrong-token-0003" })(url, LIMIT);
    expect(result).toEqual({ kind: "http-error", status: 401 });
    expect(JSON.stringify(result)).not.toContain("wrong-token");
    expect(standIn.mediaDownloads).toEqual([]);
  });

  it("answers unknown media, and another account's media, with HTTP 404", async () => {
    const foreign = standIn.addMedia({
      accountSid: OTHER_ACCOUNT_SID,
      messageSid: MESSAGE_SID,
      contentType: "image/png",
      data: PNG,
    });
    expect(await fetcher()(MISSING_MEDIA_URL, LIMIT)).toEqual({ kind: "http-error", status: 404 });
    // The other account's credentials against its own media work; ours do not reach it.
    const theirs = fetcher({ accountSid: OTHER_ACCOUNT_SID, authToken: async () => OTHER_TOKEN });
    expect(await theirs(foreign, LIMIT)).toEqual({ kind: "fetched", data: PNG });
    const ours = fetcher({ authToken: async () => TOKEN, accountSid: ACCOUNT_SID });
    expect(await ours(foreign.replace(OTHER_ACCOUNT_SID, ACCOUNT_SID), LIMIT)).toEqual({
      kind: "http-error",
      status: 404,
    });
  });
});

describe("size cap", () => {
  // Larger than a socket read, so a capped read really stops part-way; small enough for a quick deep compare.
  const big = new Uint8Array(200_000).fill(7);

  it("refuses an announced size over the cap before reading the body", async () => {
    const url = addPng({ data: big });
    expect(await fetcher()(url, { maxBytes: 100_000 })).toEqual({ kind: "too-large", bytes: 200_000 });
  });

  it("stops an unannounced (chunked) body once it passes the cap", async () => {
    const url = addPng({ data: big, chunked: true });
    expect(await fetcher()(url, { maxBytes: 100_000 })).toEqual({ kind: "too-large" });
    // At the cap exactly, the same body is read whole.
    const whole = await fetcher()(url, { maxBytes: 200_000 });
    // Compared as one Buffer: a deep compare of 200,000 elements takes seconds.
    expect(whole.kind === "fetched" && Buffer.from(whole.data).equals(big)).toBe(true);
  });

  it("reads no further than one chunk past the cap of an endless body, and cancels it", async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1_000;
        controller.enqueue(new Uint8Array(1_000));
      },
      cancel() {
        cancelled = true;
      },
    });
    const result = await fetcher({ fetch: async () => new Response(endless, { status: 200 }) })(addPng(), {
      maxBytes: 10_500,
    });
    expect(result).toEqual({ kind: "too-large" });
    expect(cancelled).toBe(true);
    // 11 chunks pass the cap; the stream may have queued one more ahead of the reader (its high-water mark).
    expect(pulled).toBeLessThanOrEqual(12_000);
  });
});

describe("failures are results, never throws", () => {
  it("times out a download that takes longer than allowed", async () => {
    const url = addPng({ delayMs: 10_000 });
    expect(await fetcher({ timeoutMs: 200 })(url, LIMIT)).toEqual({ kind: "failed", reason: "timeout" });
  });

  it("reports a connection failure as a network error", async () => {
    const url = addPng();
    const closed = standIn.url;
    await standIn.close();
    expect(await fetcher({ baseUrl: closed })(url, LIMIT)).toEqual({ kind: "failed", reason: "network" });
    standIn = await startTwilioStandIn({ accounts: {} });
  });

  it("reports a token that cannot be read, without its error text", async () => {
    const failing = fetcher({
      authToken: async () => {
        throw new Error("Secrets Manager said no to arn:aws:secretsmanager:…:secret-name");
      },
    });
    const result = await failing(addPng(), LIMIT);
    expect(result).toEqual({ kind: "failed", reason: "credentials" });
    expect(standIn.requests).toEqual([]);
  });
});

describe("SSRF guard", () => {
  it.each([
    ["another host", "https://evil.example/2010-04-01/Accounts/AC/Messages/MM/Media/ME"],
    ["plain http to Twilio", MISSING_MEDIA_URL.replace("https:", "http:")],
    ["a look-alike host", MISSING_MEDIA_URL.replace("api.twilio.com", "api.twilio.com.evil.example")],
    ["the metadata service", "http://169.254.169.254/latest/meta-data/"],
    ["another account's media", MISSING_MEDIA_URL.replace(ACCOUNT_SID, OTHER_ACCOUNT_SID)],
    ["a Twilio resource that is not media", `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`],
  ])("refuses %s before reading the token or sending anything", async (_name, url) => {
    const sent: string[] = [];
    let tokenRead = false;
    const guarded = fetcher({
      authToken: async () => {
        tokenRead = true;
        return TOKEN;
      },
      fetch: async (input) => {
        sent.push(String(input));
        return new Response(null, { status: 500 });
      },
    });
    expect(await guarded(url, LIMIT)).toEqual({ kind: "failed", reason: "refused" });
    expect({ sent, tokenRead }).toEqual({ sent: [], tokenRead: false });
  });
});

describe("on Twilio's own hosts (a recording fetch: no network)", () => {
  interface Sent {
    url: string;
    authorization: string | null;
    redirect: RequestInit["redirect"];
  }

  /** Answers each request from `answers` in turn, recording what was sent. */
  function recordingFetch(answers: Array<() => Response>) {
    const sent: Sent[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      sent.push({
        url: String(input),
        authorization: new Headers(init?.headers).get("authorization"),
        redirect: init?.redirect,
      });
      const answer = answers[sent.length - 1];
      if (!answer) throw new Error("no answer left");
      return answer();
    };
    return { sent, fetchImpl };
  }

  const regional = MISSING_MEDIA_URL.replace("api.twilio.com", "api.dublin.ie1.twilio.com");
  const redirectTo = (location: string) => () => new Response(null, { status: 307, headers: { location } });

  it("calls the regional host with credentials and Twilio's CDN without them", async () => {
    const storage = "https://mms.twiliocdn.com/AC/abc?Expires=1&Signature=x";
    const { sent, fetchImpl } = recordingFetch([redirectTo(storage), () => new Response(PNG)]);
    const result = await fetcher({ baseUrl: undefined, fetch: fetchImpl })(regional, LIMIT);
    expect(result).toEqual({ kind: "fetched", data: PNG });
    expect(sent).toEqual([
      {
        url: regional,
        authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${TOKEN}`).toString("base64")}`,
        redirect: "manual",
      },
      { url: storage, authorization: null, redirect: "manual" },
    ]);
  });

  it("refuses a redirect to plain http, and a redirect loop, as a bad redirect", async () => {
    const downgrade = recordingFetch([redirectTo("http://mms.twiliocdn.com/x")]);
    expect(await fetcher({ baseUrl: undefined, fetch: downgrade.fetchImpl })(regional, LIMIT)).toEqual({
      kind: "failed",
      reason: "redirect",
    });
    expect(downgrade.sent).toHaveLength(1);

    const loop = recordingFetch(Array.from({ length: 10 }, () => redirectTo("https://mms.twiliocdn.com/again")));
    expect(await fetcher({ baseUrl: undefined, fetch: loop.fetchImpl })(regional, LIMIT)).toEqual({
      kind: "failed",
      reason: "redirect",
    });
    // The API request and three redirects followed; the fourth redirect is refused.
    expect(loop.sent).toHaveLength(4);
  });

  it("answers an error from the storage host with its status", async () => {
    const { fetchImpl } = recordingFetch([
      redirectTo("https://mms.twiliocdn.com/x"),
      () => new Response("<Error><Code>AccessDenied</Code></Error>", { status: 403 }),
    ]);
    expect(await fetcher({ baseUrl: undefined, fetch: fetchImpl })(regional, LIMIT)).toEqual({
      kind: "http-error",
      status: 403,
    });
  });
});
