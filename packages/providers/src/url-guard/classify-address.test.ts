import { BlockList } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BLOCKED_IPV4_RANGES,
  BLOCKED_IPV6_RANGES,
  classifyAddress,
  describeEmbeddedIPv4,
  isPublicAddress,
} from "./classify-address.js";
import { checkUrlOnStore } from "./check-url-on-store.js";
import { formatIPv4, parseIPv4, parseIPv6 } from "./ip-address.js";

const RUNS = { numRuns: 300 };

function cidrParts(cidr: string): [string, number] {
  const [address = "", bits = ""] = cidr.split("/");
  return [address, Number(bits)];
}

/** A random IPv4 address inside `cidr`, as an unsigned 32-bit integer. */
function ipv4In(cidr: string): fc.Arbitrary<number> {
  const [address, bits] = cidrParts(cidr);
  const base = parseIPv4(address) ?? Number.NaN;
  const size = 2 ** (32 - bits);
  return fc.integer({ min: 0, max: size - 1 }).map((offset) => base + offset);
}

/** A random IPv6 address inside `cidr`, as a bigint. */
function ipv6In(cidr: string): fc.Arbitrary<bigint> {
  const [address, bits] = cidrParts(cidr);
  const base = parseIPv6(address) ?? 0n;
  const hostBits = BigInt(128 - bits);
  return fc.bigInt({ min: 0n, max: (1n << hostBits) - 1n }).map((offset) => base + offset);
}

/** Uncompressed IPv6 text, so parsing is exercised on every form via the URL round-trip below. */
function formatIPv6(value: bigint): string {
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return groups.join(":");
}

const BLOCKED_V4 = new BlockList();
for (const { cidr } of BLOCKED_IPV4_RANGES) BLOCKED_V4.addSubnet(...cidrParts(cidr), "ipv4");

describe("IPv4 ranges", () => {
  it.each(BLOCKED_IPV4_RANGES.map(({ cidr, category }) => [cidr, category]))(
    "every address in %s is blocked (%s)",
    (cidr) => {
      fc.assert(
        fc.property(ipv4In(cidr), (value) => {
          const text = formatIPv4(value);
          expect(isPublicAddress(text)).toBe(false);
          expect(checkUrlOnStore(`https://${text}/`).ok).toBe(false);
          // The same address, spelled as one decimal number, is refused too.
          expect(checkUrlOnStore(`https://${value}/`).ok).toBe(false);
        }),
        RUNS,
      );
    },
  );

  it("agrees with node's BlockList on random addresses", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (value) => {
        const text = formatIPv4(value);
        expect(isPublicAddress(text)).toBe(!BLOCKED_V4.check(text, "ipv4"));
      }),
      { numRuns: 5_000 },
    );
  });

  it("blocks the edges of each range and allows their neighbours when public", () => {
    expect(classifyAddress("172.15.255.255")).toBe("public");
    expect(classifyAddress("172.16.0.0")).toBe("private");
    expect(classifyAddress("172.31.255.255")).toBe("private");
    expect(classifyAddress("172.32.0.0")).toBe("public");
    expect(classifyAddress("100.63.255.255")).toBe("public");
    expect(classifyAddress("100.64.0.0")).toBe("shared_address");
    expect(classifyAddress("100.127.255.255")).toBe("shared_address");
    expect(classifyAddress("100.128.0.0")).toBe("public");
    expect(classifyAddress("169.254.169.254")).toBe("metadata");
    expect(classifyAddress("255.255.255.255")).toBe("broadcast");
  });

  it.each(["1.1.1.1", "8.8.8.8", "9.9.9.9", "104.18.6.192", "151.101.1.69", "223.255.255.255"])(
    "allows the public address %s",
    (address) => {
      expect(classifyAddress(address)).toBe("public");
      expect(checkUrlOnStore(`https://${address}/`).ok).toBe(true);
    },
  );
});

describe("IPv6 ranges", () => {
  it.each(BLOCKED_IPV6_RANGES.map(({ cidr, category }) => [cidr, category]))(
    "every address in %s is blocked (%s)",
    (cidr) => {
      fc.assert(
        fc.property(ipv6In(cidr), (value) => {
          const text = formatIPv6(value);
          expect(isPublicAddress(text)).toBe(false);
          expect(checkUrlOnStore(`https://[${text}]/`).ok).toBe(false);
        }),
        RUNS,
      );
    },
  );

  it("blocks everything outside 2000::/3 (global unicast)", () => {
    const outside = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).filter((value) => value >> 125n !== 1n);
    fc.assert(
      fc.property(outside, (value) => {
        const category = classifyAddress(formatIPv6(value));
        // NAT64 and IPv4-mapped forms of public IPv4 addresses are the only exceptions.
        const embedded = describeEmbeddedIPv4(formatIPv6(value));
        if (category === "public") expect(embedded === undefined ? false : isPublicAddress(embedded)).toBe(true);
        else expect(category).toBeDefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it.each(["2606:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001:81b::200e", "2620:fe::fe"])(
    "allows the public address %s",
    (address) => {
      expect(classifyAddress(address)).toBe("public");
      expect(checkUrlOnStore(`https://[${address}]/`).ok).toBe(true);
    },
  );

  it("parses zone ids and brackets without changing the verdict", () => {
    expect(classifyAddress("fe80::1%eth0")).toBe("link_local");
    expect(classifyAddress("[::1]")).toBe("loopback");
    expect(classifyAddress("[2606:4700::1111]")).toBe("public");
    expect(classifyAddress("example.com")).toBeUndefined();
    expect(isPublicAddress("example.com")).toBe(false); // fails closed
  });
});

describe("IPv4 embedded in IPv6", () => {
  const blockedV4 = fc.oneof(...BLOCKED_IPV4_RANGES.map(({ cidr }) => ipv4In(cidr)));
  const publicV4 = fc
    .integer({ min: 0, max: 0xffffffff })
    .filter((value) => !BLOCKED_V4.check(formatIPv4(value), "ipv4"));

  const embeddings: readonly (readonly [string, (v4: number) => bigint])[] = [
    ["IPv4-mapped ::ffff:a.b.c.d", (v4) => (0xffffn << 32n) | BigInt(v4)],
    ["NAT64 64:ff9b::a.b.c.d", (v4) => (0x64ff9bn << 96n) | BigInt(v4)],
    ["6to4 2002:AABB:CCDD::", (v4) => (0x2002n << 112n) | (BigInt(v4) << 80n) | 1n],
    ["IPv4-compatible ::a.b.c.d", (v4) => BigInt(v4)],
    ["IPv4-translated ::ffff:0:a.b.c.d", (v4) => (0xffffn << 48n) | BigInt(v4)],
  ];

  it.each(embeddings)("%s embedding a blocked IPv4 address is blocked", (_name, embed) => {
    fc.assert(
      fc.property(blockedV4, (v4) => {
        const text = formatIPv6(embed(v4));
        expect(isPublicAddress(text)).toBe(false);
        expect(checkUrlOnStore(`https://[${text}]/`).ok).toBe(false);
      }),
      RUNS,
    );
  });

  it.each(embeddings.slice(0, 3))("%s embedding a public IPv4 address is allowed", (_name, embed) => {
    fc.assert(
      fc.property(publicV4, (v4) => {
        expect(isPublicAddress(formatIPv6(embed(v4)))).toBe(true);
      }),
      RUNS,
    );
  });

  it("keeps the category of the embedded address", () => {
    expect(classifyAddress("::ffff:169.254.169.254")).toBe("metadata");
    expect(classifyAddress("64:ff9b::10.1.2.3")).toBe("private");
    expect(classifyAddress("2002:7f00:1::1")).toBe("loopback");
    expect(classifyAddress("::8.8.8.8")).toBe("reserved"); // deprecated form, never routed
  });
});
