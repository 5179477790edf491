// `nagare.http.listener`: where the operations HTTP server (/metrics, /health, /ready) listens.
// A Nagare-specific config (Kafka has no HTTP port): `http://host:port`, or `none` / empty to
// disable it. Port 0 picks a free port (tests).

import { ConfigError } from "./broker-config.ts";

export interface HttpListenerSpec {
  readonly host: string;
  readonly port: number;
}

/** Parses the config value; null when the server is disabled. Throws ConfigError naming `key`. */
export function parseHttpListener(value: string, key: string): HttpListenerSpec | null {
  const text = value.trim();
  if (text === "" || text.toLowerCase() === "none") return null;
  // Bracketed IPv6 hosts (http://[::1]:9644) as in listener URIs.
  const match = /^http:\/\/(\[[0-9a-fA-F:.]+\]|[^:/[\]\s]*):(\d{1,5})\/?$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port > 65535)
    throw new ConfigError(
      `invalid ${key}=${value}: expected http://host:port (port 0-65535), or none to disable the HTTP server`,
    );
  const host = (match[1] as string).replace(/^\[(.*)\]$/, "$1");
  return { host, port };
}
