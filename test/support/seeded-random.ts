/** A small seeded PRNG (mulberry32), so a randomised test replays exactly from its seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    /** One of `choices`, each as likely as its weight. */
    weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
      const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
      let pick = next() * total;
      for (const [value, weight] of choices) {
        pick -= weight;
        if (pick < 0) return value;
      }
      const last = choices.at(-1);
      if (!last) throw new Error("weighted: no choices");
      return last[0];
    },
  };
}
