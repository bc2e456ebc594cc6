import { describe, expect, it } from "vitest";
import { isHttpsOrLoopback } from "../../src/core/secure-url.ts";

describe("isHttpsOrLoopback", () => {
  it.each([
    "https://graph.microsoft.com/beta",
    "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration",
    "http://127.0.0.1:4010",
    "http://127.1.2.3/keys",
    "http://127.1/", // URL spells it 127.0.0.1
    "http://0x7f.0.0.1/",
    "http://localhost:3978",
    "http://LOCALHOST/",
    "http://[::1]:4010",
  ])("accepts %s", (url) => {
    expect(isHttpsOrLoopback(new URL(url))).toBe(true);
  });

  it.each([
    "http://graph.microsoft.com/beta",
    "http://128.0.0.1/",
    "http://127.0.0.1.nip.io/",
    "http://localhost.example/",
    "http://[::2]/",
    "http://10.0.0.1/",
    "ftp://127.0.0.1/keys",
    "ftp://example.com/keys",
    "data:application/json,{}",
    "file:///etc/passwd",
    "ws://127.0.0.1/",
  ])("refuses %s", (url) => {
    expect(isHttpsOrLoopback(new URL(url))).toBe(false);
  });
});
