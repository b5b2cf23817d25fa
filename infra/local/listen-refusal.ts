import { StartupError } from "./startup-error.ts";

export interface ListenTarget {
  host: string;
  port: number;
  /** What listens there, when it is not the gateway itself: " (the embedded SQS endpoint)". */
  role?: string;
  /** The settings that choose the port and the host, named in the message. */
  portSetting: string;
  hostSetting?: string;
}

/**
 * Why a server could not listen, as one line naming the setting to change; undefined for a failure the user cannot
 * act on (left to surface as it is).
 */
export function listenRefusal(error: unknown, target: ListenTarget): StartupError | undefined {
  const { host, port, role = "", portSetting, hostSetting } = target;
  const at = `${host}:${port}${role}`;
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case "EADDRINUSE":
      return new StartupError(`${at} is already in use; stop what listens there or set ${portSetting} to another port`);
    case "EACCES":
      return new StartupError(
        `${at}: this user may not listen on port ${port} (ports below 1024 need privileges); set ${portSetting} ` +
          "to a port from 1024 up",
      );
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return new StartupError(
        `cannot listen on ${host}${role}: not an address of this machine; set ${hostSetting ?? "the host"} to ` +
          "127.0.0.1 (this machine only) or 0.0.0.0 (every interface)",
      );
    default:
      return undefined;
  }
}
