import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveBrokerConfig } from "../../src/config/broker-config.ts";
import { parseHttpListener } from "../../src/config/http-listener.ts";

test("nagare.http.listener: http://host:port, none or empty", () => {
  assert.deepEqual(parseHttpListener("http://localhost:9644", "k"), { host: "localhost", port: 9644 });
  assert.deepEqual(parseHttpListener("http://0.0.0.0:0/", "k"), { host: "0.0.0.0", port: 0 });
  assert.deepEqual(parseHttpListener("http://[::1]:9644", "k"), { host: "::1", port: 9644 });
  assert.deepEqual(parseHttpListener("http://:9644", "k"), { host: "", port: 9644 });
  assert.equal(parseHttpListener("none", "k"), null);
  assert.equal(parseHttpListener("", "k"), null);
});

test("an invalid value stops start-up naming the key", () => {
  for (const bad of ["localhost:9644", "https://localhost:9644", "http://localhost", "http://h:70000"])
    assert.throws(
      () => resolveBrokerConfig({ overrides: { "nagare.http.listener": bad } }),
      /invalid nagare\.http\.listener=.*http:\/\/host:port/,
      bad,
    );
  assert.equal(resolveBrokerConfig({}).values["nagare.http.listener"], "http://localhost:9644");
});
