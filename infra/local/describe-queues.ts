import { TURNS_MAX_RECEIVE_COUNT } from "../../lib/config/turn-timing.ts";
import { LOCAL_REGION, type QueueUrls } from "./embedded-sqs.ts";

export interface QueuesShown {
  sqsEndpoint: string;
  queueUrls: QueueUrls;
  turnsVisibilitySeconds: number;
}

/** The banner's queue lines: everything a consumer of your own needs to reach the embedded SQS (README, Queue contracts). */
export function describeQueues({ sqsEndpoint, queueUrls, turnsVisibilitySeconds }: QueuesShown): string[] {
  return [
    `queues: SQS endpoint ${sqsEndpoint} (region ${LOCAL_REGION}, any credentials; SQS_PORT sets the port)`,
    `  turns   ${queueUrls.turns} (visibility ${turnsVisibilitySeconds} s; after ${TURNS_MAX_RECEIVE_COUNT} receives a turn moves to ${queueUrls.turnsDlq})`,
    `  replies ${queueUrls.replies} (dead letters: ${queueUrls.repliesDlq})`,
  ];
}
