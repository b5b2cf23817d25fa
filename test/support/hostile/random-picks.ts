import { seededRandom } from "../seeded-random.ts";

/** The choices the hostile-request generator makes, all drawn from one seeded PRNG so a run replays exactly. */
export interface Random {
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  bytes(length: number): Buffer;
}

export function randomPicks(seed: number): Random {
  const random = seededRandom(seed);
  const int = (maxExclusive: number) => random.int(0, maxExclusive - 1);
  return {
    int,
    pick: <T>(items: readonly T[]): T => {
      const item = items[int(items.length)];
      if (item === undefined) throw new Error("pick from an empty list");
      return item;
    },
    chance: (probability) => random.next() < probability,
    bytes: (length) => Buffer.from(Array.from({ length }, () => int(256))),
  };
}
