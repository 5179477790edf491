// Listener URIs: `NAME://host:port`, comma-separated. Only PLAINTEXT is served so far; the name
// maps to a security protocol so SSL/SASL listeners can be added without changing the shape.

import { ConfigError } from "./broker-config.ts";

export type SecurityProtocol = "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";

export interface ListenerSpec {
  readonly name: string;
  readonly securityProtocol: SecurityProtocol;
  /** Empty string: all interfaces. */
  readonly host: string;
  readonly port: number;
}

const supported: readonly SecurityProtocol[] = ["PLAINTEXT"];

export function parseListeners(text: string, key: string): ListenerSpec[] {
  const specs = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((uri) => {
      const match = /^([A-Z_][A-Z0-9_]*):\/\/(\[[^\]]*\]|[^:/]*):(\d+)$/.exec(uri);
      if (!match) throw new ConfigError(`invalid ${key}: "${uri}" is not NAME://host:port`);
      const name = match[1] as string;
      const port = Number(match[3]);
      if (port > 65535) throw new ConfigError(`invalid ${key}: port ${port} in "${uri}" is above 65535`);
      const protocol = name as SecurityProtocol;
      if (!supported.includes(protocol))
        throw new ConfigError(`invalid ${key}: listener "${name}" is not supported yet; use PLAINTEXT`);
      return { name, securityProtocol: protocol, host: (match[2] as string).replace(/^\[|\]$/g, ""), port };
    });
  if (specs.length === 0) throw new ConfigError(`invalid ${key}: no listener given`);
  return specs;
}
