import { describe, expect, it } from "vitest";
import { checkUrlOnStore } from "./check-url-on-store.js";
import { parseAllowPrivateHosts } from "./url-guard-policy.js";

/**
 * Bypass attempts, each of which must be refused on store. Grouped by trick;
 * the expected reason is asserted so a refusal for the wrong reason (say a
 * parse failure where an address check was meant) shows up.
 */
const BYPASS_CORPUS: readonly (readonly [url: string, reason: string])[] = [
  // Loopback, spelled every way the WHATWG parser normalizes.
  ["http://127.0.0.1/", "blocked_address"],
  ["http://127.1/", "blocked_address"],
  ["http://127.0.1/", "blocked_address"],
  ["http://2130706433/", "blocked_address"],
  ["http://0177.0.0.1/", "blocked_address"],
  ["http://0x7f.0.0.1/", "blocked_address"],
  ["http://0x7f.1/", "blocked_address"],
  ["http://0x7f000001/", "blocked_address"],
  ["http://017700000001/", "blocked_address"],
  ["http://0x7f.0x0.0x0.0x1/", "blocked_address"],
  ["http://127.000.000.001/", "blocked_address"],
  ["http://127.0.0.1./", "blocked_address"],
  ["http://0x7f.1../", "blocked_address"],
  ["http://127.0.0.1%2e/", "blocked_address"],
  ["http://127.255.255.254:8080/", "blocked_address"],
  ["HTTP://127.0.0.1/", "blocked_address"],
  [" http://127.0.0.1/ ", "blocked_address"],
  ["http://127.0.0.1\t/", "blocked_address"],
  ["http:\\\\127.0.0.1\\admin", "blocked_address"],
  ["https://127.0.0.1#@api.openai.com/", "blocked_address"],
  ["https://127.0.0.1?@api.openai.com/", "blocked_address"],
  // Unspecified ("0" means 0.0.0.0, which Linux routes to this machine).
  ["http://0/", "blocked_address"],
  ["http://0.0.0.0:443/", "blocked_address"],
  ["http://0x0/", "blocked_address"],
  ["http://[::]/", "blocked_address"],
  // IPv6 loopback and IPv4 smuggled inside IPv6.
  ["http://[::1]/", "blocked_address"],
  ["http://[0:0:0:0:0:0:0:1]:80/", "blocked_address"],
  ["http://[::ffff:127.0.0.1]/", "blocked_address"],
  ["http://[::ffff:7f00:1]/", "blocked_address"],
  ["http://[0:0:0:0:0:ffff:127.0.0.1]/", "blocked_address"],
  ["http://[::127.0.0.1]/", "blocked_address"],
  ["http://[::ffff:0:127.0.0.1]/", "blocked_address"],
  ["http://[64:ff9b::127.0.0.1]/", "blocked_address"],
  ["http://[64:ff9b::a9fe:a9fe]/", "blocked_address"],
  ["http://[2002:7f00:1::]/", "blocked_address"],
  ["http://[2002:a9fe:a9fe::1]/", "blocked_address"],
  ["http://[::ffff:10.0.0.1]/", "blocked_address"],
  ["http://[::ffff:192.168.0.1]/", "blocked_address"],
  ["http://[2001::1]/", "blocked_address"],
  // Zone ids are not valid in WHATWG URLs at all.
  ["http://[fe80::1%25eth0]/", "invalid_url"],
  ["http://[fe80::1%eth0]/", "invalid_url"],
  // Other blocked IPv6 ranges.
  ["http://[fe80::1]/", "blocked_address"],
  ["http://[fc00::1]/", "blocked_address"],
  ["http://[fd12:3456::1]/", "blocked_address"],
  ["http://[fec0::1]/", "blocked_address"],
  ["http://[ff02::1]/", "blocked_address"],
  ["http://[100::1]/", "blocked_address"],
  ["http://[2001:db8::1]/", "blocked_address"],
  // Cloud metadata, by address.
  ["http://169.254.169.254/latest/meta-data/", "blocked_address"],
  ["http://169.254.170.2/v2/credentials", "blocked_address"],
  ["http://2852039166/", "blocked_address"],
  ["http://0xa9fea9fe/", "blocked_address"],
  ["http://0251.0376.0251.0376/", "blocked_address"],
  ["http://169.254.43518/", "blocked_address"],
  ["http://[::ffff:169.254.169.254]/", "blocked_address"],
  ["http://[::ffff:a9fe:a9fe]/", "blocked_address"],
  ["http://[fd00:ec2::254]/latest/meta-data/", "blocked_address"],
  ["http://100.100.100.200/latest/meta-data/", "blocked_address"],
  ["http://168.63.129.16/machine?comp=goalstate", "blocked_address"],
  // Cloud metadata, by name.
  ["http://metadata.google.internal/computeMetadata/v1/", "blocked_hostname"],
  ["http://METADATA.GOOGLE.INTERNAL./", "blocked_hostname"],
  ["http://metadata/", "blocked_hostname"],
  ["http://metadata.goog/", "blocked_hostname"],
  ["http://instance-data/latest/meta-data/", "blocked_hostname"],
  ["http://instance-data.ec2.internal/", "blocked_hostname"],
  // Private, CGNAT, link-local, multicast, broadcast, reserved, benchmarking, documentation.
  ["http://10.0.0.1/", "blocked_address"],
  ["http://10.255.255.255/", "blocked_address"],
  ["http://172.16.0.1/", "blocked_address"],
  ["http://172.31.255.255/", "blocked_address"],
  ["http://192.168.1.1/", "blocked_address"],
  ["http://100.64.0.1/", "blocked_address"],
  ["http://100.127.255.254/", "blocked_address"],
  ["http://169.254.1.1/", "blocked_address"],
  ["http://224.0.0.1/", "blocked_address"],
  ["http://239.255.255.250/", "blocked_address"],
  ["http://255.255.255.255/", "blocked_address"],
  ["http://240.0.0.1/", "blocked_address"],
  ["http://198.18.0.1/", "blocked_address"],
  ["http://192.0.2.1/", "blocked_address"],
  ["http://192.0.0.1/", "blocked_address"],
  // Loopback and local names, including Unicode that maps onto them.
  ["http://localhost/", "blocked_hostname"],
  ["http://LOCALHOST:8080/", "blocked_hostname"],
  ["http://localhost./", "blocked_hostname"],
  ["http://localhost../", "blocked_hostname"],
  ["http://api.localhost/", "blocked_hostname"],
  ["http://foo.bar.localhost./", "blocked_hostname"],
  ["http://ｌｏｃａｌｈｏｓｔ/", "blocked_hostname"],
  ["http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/", "blocked_hostname"],
  ["http://local\u00ADhost/", "blocked_hostname"],
  ["http://localhost\u3002/", "blocked_hostname"],
  ["http://%6c%6f%63%61%6c%68%6f%73%74/", "blocked_hostname"],
  ["http://localhost.localdomain/", "blocked_hostname"],
  ["http://ip6-localhost/", "blocked_hostname"],
  ["http://printer.local/", "blocked_hostname"],
  ["http://db.internal/", "blocked_hostname"],
  ["http://kubernetes.default.svc/", "blocked_hostname"],
  ["http://router.lan/", "blocked_hostname"],
  ["http://router.home.arpa/", "blocked_hostname"],
  ["http://1.0.0.127.in-addr.arpa/", "blocked_hostname"],
  ["http://intranet/", "blocked_hostname"],
  ["http://vllm:8000/v1", "blocked_hostname"],
  // Wildcard-DNS names that resolve to the address they spell.
  ["http://127.0.0.1.nip.io/", "blocked_hostname"],
  ["http://app-127-0-0-1.sslip.io/", "blocked_hostname"],
  ["http://localtest.me/", "blocked_hostname"],
  ["http://foo.lvh.me/", "blocked_hostname"],
  ["http://169.254.169.254.wildcard.example.com/", "blocked_address"],
  ["http://app-10-0-0-1.wildcard.example.com/", "blocked_address"],
  // Userinfo (also the classic "looks like openai" trick).
  ["https://user:pass@api.openai.com/", "credentials_in_url"],
  ["https://api.openai.com@127.0.0.1/", "credentials_in_url"],
  ["https://api.openai.com:@evil.example/", "credentials_in_url"],
  // Schemes other than http(s).
  ["file:///etc/passwd", "unsupported_protocol"],
  ["gopher://127.0.0.1:6379/_INFO", "unsupported_protocol"],
  ["dict://127.0.0.1:11211/stat", "unsupported_protocol"],
  ["ftp://example.com/", "unsupported_protocol"],
  ["data:text/plain,hello", "unsupported_protocol"],
  ["javascript:alert(1)", "unsupported_protocol"],
  ["ws://api.example.com/", "unsupported_protocol"],
  ["ldap://127.0.0.1/", "unsupported_protocol"],
  // Malformed.
  ["", "invalid_url"],
  ["not a url", "invalid_url"],
  ["//127.0.0.1/", "invalid_url"],
  ["https://", "invalid_url"],
  ["http://[::1/", "invalid_url"],
  ["http://0x100000000/", "invalid_url"],
  ["http://1.2.3.4.5/", "invalid_url"],
  ["http://a..b/", "invalid_hostname"],
  ["https://api.openai.com:0/", "invalid_port"],
  [`https://api.openai.com/${"a".repeat(3000)}`, "url_too_long"],
];

describe("checkUrlOnStore: bypass corpus", () => {
  it("has at least 60 attempts", () => {
    expect(BYPASS_CORPUS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(BYPASS_CORPUS)("refuses %j (%s)", (url, reason) => {
    const result = checkUrlOnStore(url);
    expect(result).toMatchObject({ ok: false, reason });
  });

  it("refuses the whole corpus even when the operator allows unrelated private hosts", () => {
    const options = { allowPrivateHosts: ["vllm.corp.example", "10.9.9.9"] };
    for (const [url] of BYPASS_CORPUS) expect(checkUrlOnStore(url, options).ok, url).toBe(false);
  });

  it("never throws, whatever the input", () => {
    for (const input of [undefined, null, 42, {}, [], Symbol("x")]) {
      expect(checkUrlOnStore(input as unknown as string)).toMatchObject({ ok: false, reason: "invalid_url" });
    }
  });

  it("never puts the refused address in the message", () => {
    const result = checkUrlOnStore("http://2852039166/");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toMatch(/169\.254|2852039166/);
  });
});

describe("checkUrlOnStore: accepted URLs", () => {
  it.each([
    ["https://api.openai.com/v1", "api.openai.com"],
    ["https://API.OpenAI.com./v1", "api.openai.com"],
    ["https://api.anthropic.com", "api.anthropic.com"],
    ["https://generativelanguage.googleapis.com/v1beta", "generativelanguage.googleapis.com"],
    ["https://1.1.1.1/", "1.1.1.1"],
    ["https://8.8.8.8:8443/v1", "8.8.8.8"],
    ["https://[2606:4700::1111]/", "2606:4700::1111"],
    ["https://[64:ff9b::808:808]/", "64:ff9b::808:808"], // NAT64 of a public address (IPv6-only clouds)
    ["https://[::ffff:1.1.1.1]/", "::ffff:101:101"],
    ["https://münchen.de/", "xn--mnchen-3ya.de"],
    ["http://api.example.com/v1", "api.example.com"],
    ["https://v1-2-3.api.example.com/", "v1-2-3.api.example.com"],
    ["https://build-2024-01-15-1234.example.com/", "build-2024-01-15-1234.example.com"],
    ["https://10.0.0.example.com/", "10.0.0.example.com"],
  ])("accepts %s", (url, hostname) => {
    expect(checkUrlOnStore(url)).toMatchObject({ ok: true, hostname });
  });

  it("returns the normalized URL, which is what should be stored", () => {
    expect(checkUrlOnStore(" HTTPS://API.OpenAI.com:443/v1 ")).toEqual({
      ok: true,
      url: "https://api.openai.com/v1",
      hostname: "api.openai.com",
    });
  });

  it("refuses plain http when the policy requires https", () => {
    expect(checkUrlOnStore("http://api.example.com/", { allowHttp: false })).toMatchObject({
      ok: false,
      reason: "http_not_allowed",
    });
    expect(checkUrlOnStore("https://api.example.com/", { allowHttp: false }).ok).toBe(true);
  });
});

describe("checkUrlOnStore: allowPrivateHosts", () => {
  it("allows exactly the named private hosts", () => {
    const options = { allowPrivateHosts: ["vllm.internal", "10.0.0.5", "[fd00::5]", "LocalHost."] };
    expect(checkUrlOnStore("http://vllm.internal:8000/v1", options).ok).toBe(true);
    expect(checkUrlOnStore("http://VLLM.internal.:8000/v1", options).ok).toBe(true);
    expect(checkUrlOnStore("http://10.0.0.5:8000/v1", options).ok).toBe(true);
    expect(checkUrlOnStore("http://0x0a000005:8000/v1", options).ok).toBe(true); // same address, other spelling
    expect(checkUrlOnStore("http://[fd00::5]/", options).ok).toBe(true);
    expect(checkUrlOnStore("http://localhost:11434/", options).ok).toBe(true);
    // Exact only: neighbours, subdomains and other private hosts stay refused.
    expect(checkUrlOnStore("http://10.0.0.6/", options).ok).toBe(false);
    expect(checkUrlOnStore("http://a.vllm.internal/", options).ok).toBe(false);
    expect(checkUrlOnStore("http://other.internal/", options).ok).toBe(false);
    expect(checkUrlOnStore("http://127.0.0.1/", options).ok).toBe(false);
  });

  it("refuses to allow metadata, multicast or unspecified hosts at all", () => {
    for (const host of ["169.254.169.254", "metadata.google.internal", "fd00:ec2::254", "224.0.0.1", "0.0.0.0"]) {
      expect(() => checkUrlOnStore("https://api.openai.com/", { allowPrivateHosts: [host] }), host).toThrow(RangeError);
    }
  });

  it("parses PROVIDER_ALLOW_PRIVATE_HOSTS and names the variable on a bad entry", () => {
    expect(parseAllowPrivateHosts(undefined)).toEqual([]);
    expect(parseAllowPrivateHosts(" vllm.internal , 10.0.0.5,,[FD00::5] ")).toEqual([
      "vllm.internal",
      "10.0.0.5",
      "fd00::5",
    ]);
    expect(() => parseAllowPrivateHosts("*.internal")).toThrow(/PROVIDER_ALLOW_PRIVATE_HOSTS/);
    expect(() => parseAllowPrivateHosts("http://vllm.internal")).toThrow(/PROVIDER_ALLOW_PRIVATE_HOSTS/);
    expect(() => parseAllowPrivateHosts("vllm.internal:8000")).toThrow(/PROVIDER_ALLOW_PRIVATE_HOSTS/);
    expect(() => parseAllowPrivateHosts("metadata")).toThrow(/can never be allowed/);
  });
});
