/**
 * @module auth/ip-match — the address forms `Require ip` accepts (mod_authz_host): a full
 * address, a partial IPv4 address ("10.1" = 10.1.0.0/16), a network/bits or network/netmask
 * pair, and IPv6 in the same forms. IPv4-mapped clients (::ffff:1.2.3.4) match IPv4 rules.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { createError } from '../errors.js';

const PARTIAL_V4 = /^\d{1,3}(\.\d{1,3}){0,3}\.?$/;

function badAddress(arg: string, why: string): Error {
  return createError('AUTH_BAD_REQUIRE', `Require ip ${arg}: ${why}`);
}

function netmaskBits(mask: string, arg: string): number {
  if (!isIPv4(mask)) throw badAddress(arg, 'the netmask is not an IPv4 address');
  const n = mask.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const bits = 32 - Math.log2(2 ** 32 - n);
  if (!Number.isInteger(bits)) throw badAddress(arg, 'the netmask is not contiguous');
  return bits;
}

/** Adds one `Require ip` argument to `list`. @throws MPY_ERR_AUTH_BAD_REQUIRE */
function addRule(list: BlockList, arg: string): void {
  const slash = arg.indexOf('/');
  if (slash >= 0) {
    const net = arg.slice(0, slash);
    const mask = arg.slice(slash + 1);
    const family = isIPv4(net) ? 'ipv4' : isIPv6(net) ? 'ipv6' : null;
    if (family === null) throw badAddress(arg, 'the network is not an IP address');
    const bits = /^\d+$/.test(mask) ? Number(mask) : family === 'ipv4' ? netmaskBits(mask, arg) : NaN;
    if (!(bits >= 0 && bits <= (family === 'ipv4' ? 32 : 128))) throw badAddress(arg, 'the prefix length is out of range');
    list.addSubnet(net, bits, family);
    return;
  }
  if (isIPv4(arg)) return list.addAddress(arg, 'ipv4');
  if (isIPv6(arg)) return list.addAddress(arg, 'ipv6');
  if (PARTIAL_V4.test(arg)) {
    const octets = arg.replace(/\.$/, '').split('.');
    if (octets.some((o) => Number(o) > 255)) throw badAddress(arg, 'an octet is above 255');
    const network = [...octets, '0', '0', '0'].slice(0, 4).join('.');
    return list.addSubnet(network, octets.length * 8, 'ipv4');
  }
  throw badAddress(arg, 'an IP address, a partial IPv4 address or a network/mask was expected');
}

export interface IpMatcher {
  matches(clientIp: string): boolean;
}

/** Compiles the arguments of one `Require ip` line. @throws MPY_ERR_AUTH_BAD_REQUIRE */
export function compileIpMatcher(args: readonly string[]): IpMatcher {
  if (args.length === 0) throw createError('AUTH_BAD_REQUIRE', 'Require ip needs at least one address');
  const list = new BlockList();
  for (const arg of args) addRule(list, arg);
  return {
    matches(clientIp: string): boolean {
      const ip = clientIp.startsWith('::ffff:') && isIPv4(clientIp.slice(7)) ? clientIp.slice(7) : clientIp;
      if (isIPv4(ip)) return list.check(ip, 'ipv4');
      if (isIPv6(ip)) return list.check(ip, 'ipv6');
      return false;
    },
  };
}

/** `Require local`: loopback clients (Apache also counts the server's own addresses). */
export function isLoopback(clientIp: string): boolean {
  const ip = clientIp.startsWith('::ffff:') ? clientIp.slice(7) : clientIp;
  return ip === '::1' || (isIPv4(ip) && ip.startsWith('127.'));
}
