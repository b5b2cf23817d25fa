declare module "dynalite" {
  import type { Server } from "node:net";

  interface DynaliteOptions {
    /** Folder for LevelDB data; in memory when absent. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}
