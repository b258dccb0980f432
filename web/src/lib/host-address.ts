// Mirrors the server's HostAddress::parse (domain crate, hosts.rs): addresses end up as arguments
// to ssh and socket calls, so anything that could read as an option, a URL or `user@host` is refused.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const DNS_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

export type AddressProblem = 'required' | 'option' | 'url' | 'at_sign' | 'whitespace' | 'port_in_address' | 'too_long' | 'invalid' | 'numeric';

/** A dotted quad of decimal octets without leading zeros (as Rust's `Ipv4Addr` parses). */
export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** RFC 4291 text forms: up to eight groups, one `::`, an optional trailing IPv4 part; no zone. */
export function isIpv6(s: string): boolean {
  if (!s.includes(':')) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIpv4(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

export function isIpAddress(raw: string): boolean {
  const s = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  return isIpv4(s) || isIpv6(s);
}

export function addressProblem(raw: string): AddressProblem | null {
  const s = raw.trim();
  if (!s) return 'required';
  if (s.startsWith('-')) return 'option';
  if (s.includes('://')) return 'url';
  if (s.includes('@')) return 'at_sign';
  if (/\s/.test(s) || CONTROL.test(s)) return 'whitespace';
  if (isIpAddress(s)) return null;
  if (s.includes(':')) return 'port_in_address';
  const name = (s.endsWith('.') ? s.slice(0, -1) : s).toLowerCase();
  if (name.length > 253) return 'too_long';
  const labels = name.split('.');
  if (!labels.every((l) => l.length >= 1 && l.length <= 63 && DNS_LABEL.test(l))) return 'invalid';
  if (labels.every((l) => /^\d+$/.test(l))) return 'numeric';
  return null;
}


/** Whether `raw` is an IP or CIDR network (`10.0.0.0/8`, `fd00::/8`). */
export function isCidr(raw: string): boolean {
  const [ip = '', prefix, ...rest] = raw.split('/');
  if (rest.length > 0) return false;
  if (prefix === undefined) return isIpv4(ip) || isIpv6(ip);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const n = Number(prefix);
  if (isIpv4(ip)) return n <= 32;
  return isIpv6(ip) && n <= 128;
}

/** A target policy entry: CIDR, IP, host name or `*.domain` (mirrors TargetRule::parse). */
export function isTargetRule(raw: string): boolean {
  const s = raw.trim().toLowerCase();
  if (isCidr(s)) return true;
  const bare = s.startsWith('*.') ? s.slice(2) : s;
  return addressProblem(bare) === null && !isIpAddress(bare);
}
