// One Kafka request over a fresh TCP connection, encoded and decoded by our own codec: for APIs
// and versions no installed client speaks (flexible-only APIs, OffsetDelete).

import { connect } from "node:net";
import {
  type ApiDecl,
  decodeResponse,
  encodeRequest,
  FrameSplitter,
  type RequestInput,
  type ResponseValue,
} from "@nagare/protocol";

/** Sends one request on a fresh connection and decodes the answer (bounded by a timeout). */
export async function request<A extends ApiDecl>(
  port: number,
  api: A,
  version: number,
  body: RequestInput<A>,
): Promise<ResponseValue<A>> {
  const socket = connect(port, "127.0.0.1");
  try {
    const frame = await new Promise<Buffer>((resolve, reject) => {
      const splitter = new FrameSplitter({ maxFrameBytes: 1 << 26 });
      const timer = setTimeout(
        () => reject(new Error(`${api.name} v${version}: no response in time`)),
        10_000,
      );
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on("data", (chunk: Buffer) => {
        const [first] = splitter.push(chunk);
        if (!first) return;
        clearTimeout(timer);
        resolve(first);
      });
      for (const chunk of encodeRequest(
        api,
        { apiVersion: version, correlationId: 7, clientId: "admin-e2e" },
        body,
      ))
        socket.write(chunk);
    });
    return decodeResponse(api, version, frame).body;
  } finally {
    socket.destroy();
  }
}
