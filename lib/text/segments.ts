import { gsm7Septets } from "./gsm7.ts";

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** Billed SMS segments; 0 for the empty string, which is never sent. */
  segments: number;
}

/** Units one SMS can hold on its own, and per part once the 6-byte concatenation header takes its share. */
export const CAPACITY = {
  "GSM-7": { single: 160, part: 153 },
  "UCS-2": { single: 70, part: 67 },
} as const satisfies Record<SmsEncoding, { single: number; part: number }>;

/**
 * Packs parts greedily the way a handset or carrier does: a unit group that does not fit in what is left of a part
 * starts the next one. The groups are an ESC+char pair (2 septets) in GSM-7 and a surrogate pair (2 code units) in
 * UCS-2, which are never split across parts, so a part may end one unit short.
 */
class PartPacker {
  units = 0;
  parts = 1;
  private fill = 0;

  constructor(private readonly partCapacity: number) {}

  add(cost: number): void {
    this.units += cost;
    if (this.fill + cost > this.partCapacity) {
      this.parts += 1;
      this.fill = cost;
    } else {
      this.fill += cost;
    }
  }
}

/**
 * Counts segments incrementally, one code point at a time, so the chunker can price every prefix of a candidate
 * chunk in a single pass instead of re-counting each slice.
 */
export class SegmentMeter {
  private gsm = new PartPacker(CAPACITY["GSM-7"].part);
  private ucs = new PartPacker(CAPACITY["UCS-2"].part);
  private allGsm = true;

  push(codePoint: number): void {
    if (this.allGsm) {
      const septets = gsm7Septets(codePoint);
      if (septets === 0) this.allGsm = false;
      else this.gsm.add(septets);
    }
    this.ucs.add(codePoint > 0xffff ? 2 : 1);
  }

  get encoding(): SmsEncoding {
    return this.allGsm ? "GSM-7" : "UCS-2";
  }

  get units(): number {
    return this.allGsm ? this.gsm.units : this.ucs.units;
  }

  get segments(): number {
    const packer = this.allGsm ? this.gsm : this.ucs;
    if (packer.units === 0) return 0;
    return packer.units <= CAPACITY[this.encoding].single ? 1 : packer.parts;
  }
}

/** Exact billing of one message body: GSM-7 when every character has a GSM-7 form, otherwise UCS-2. */
export function countSegments(text: string): SegmentCount {
  const meter = new SegmentMeter();
  for (const char of text) meter.push(char.codePointAt(0) ?? 0);
  return { encoding: meter.encoding, units: meter.units, segments: meter.segments };
}
