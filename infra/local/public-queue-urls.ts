import type { FauxqsApp, Fields } from "./fauxqs-access.ts";

export interface PublicQueueUrls {
  /** fauxqs' own URL behind a public one (what fauxqs and the hooks after this one see); unknown URLs unchanged. */
  internalOf(url: string): string;
}

/**
 * fauxqs names a queue `http://sqs.<region>.127.0.0.1:<port>/<account>/<name>`: no URL parser accepts that host
 * (its last label is a number), so neither Node nor an SDK left to use the queue URL as its endpoint can use it.
 * The gateway hands out `http://127.0.0.1:<port>/<account>/<name>` instead, translating at fauxqs' door: a QueueUrl
 * in a request becomes fauxqs' own before any other hook or action sees it, and each queue URL in an answer
 * (CreateQueue, GetQueueUrl, ListQueues) becomes the public one. `origin` is the listening endpoint, known once the
 * server listens (hooks must be added before).
 */
export function publishQueueUrls(app: FauxqsApp, origin: () => string): PublicQueueUrls {
  const internalByPublic = new Map<string, string>();
  const toPublic = (url: unknown): unknown => {
    if (typeof url !== "string") return url;
    // Scheme, then the host fauxqs made up, then the path that names the queue.
    const path = /^https?:\/\/[^/]+(\/.*)$/.exec(url)?.[1];
    if (path === undefined) return url;
    const published = `${origin()}${path}`;
    internalByPublic.set(published, url);
    return published;
  };

  app.addHook("preValidation", async (request) => {
    const body = request.body as Fields | undefined;
    if (typeof body?.QueueUrl !== "string") return;
    body.QueueUrl = internalByPublic.get(body.QueueUrl) ?? body.QueueUrl;
  });
  app.addHook("preSerialization", async (_request, _reply, payload) => {
    if (typeof payload !== "object" || payload === null) return payload;
    const answer = payload as Fields;
    if ("QueueUrl" in answer) answer.QueueUrl = toPublic(answer.QueueUrl);
    if (Array.isArray(answer.QueueUrls)) answer.QueueUrls = answer.QueueUrls.map(toPublic);
    return payload;
  });
  return { internalOf: (url) => internalByPublic.get(url) ?? url };
}
