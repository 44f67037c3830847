/** The words that name secrets, credential files, CI and shell start-up files, shared by the JS and Python scanners. */

/** Substrings of a string literal that name a credential store: the kind reported is `credential:<name>`. */
export const CREDENTIAL_TERMS: ReadonlyArray<readonly [string, string]> = [
  ['.npmrc', 'npmrc'],
  ['.ssh', 'ssh'],
  ['id_rsa', 'ssh'],
  ['id_ed25519', 'ssh'],
  ['.aws/', 'aws'],
  ['AWS_SECRET_ACCESS_KEY', 'aws'],
  ['.kube/', 'kube'],
  ['.docker/config', 'docker'],
  ['.config/gcloud', 'gcloud'],
  ['.azure', 'azure'],
  ['.git-credentials', 'git'],
  ['GITHUB_TOKEN', 'github-token'],
  ['GH_TOKEN', 'github-token'],
  ['NPM_TOKEN', 'npm-token'],
  ['NODE_AUTH_TOKEN', 'npm-token'],
  ['wallet.dat', 'wallet'],
  ['.config/solana', 'wallet'],
  ['.electrum', 'wallet'],
  ['.ethereum/keystore', 'wallet'],
  ['Exodus', 'wallet'],
  ['nkbihfbeogaeaoehlefnkodbefgpgknn', 'wallet'],
  ['169.254.169.254', 'cloud-metadata'],
];

/** Files whose writing changes CI or every shell: `ci-config`, `shell-startup`. */
export const PERSISTENCE_TERMS: ReadonlyArray<readonly [string, string]> = [
  ['.github/workflows', 'ci-config'],
  ['.gitlab-ci', 'ci-config'],
  ['.circleci', 'ci-config'],
  ['.bashrc', 'shell-startup'],
  ['.zshrc', 'shell-startup'],
  ['.bash_profile', 'shell-startup'],
];

/** Names of key material: reported only when they sit next to a network sink (`secret-to-network`). */
export const SECRET_WORDS: ReadonlySet<string> = new Set([
  'privateKey',
  'secretKey',
  'mnemonic',
  'seedPhrase',
  'private_key',
  'secret_key',
  'seed_phrase',
  'getSecretKey',
]);

/** Hosts that name no server worth reporting (XML namespaces, the machine itself). */
const QUIET_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', 'www.w3.org', 'w3.org', 'example.com', '']);

/** The shortest term: a shorter text holds none (most string literals are short). */
const SHORTEST_TERM = Math.min(...[...CREDENTIAL_TERMS, ...PERSISTENCE_TERMS].map(([t]) => t.length));

/** Kinds for every credential or persistence term `text` contains. */
export function termKinds(text: string): string[] {
  const out: string[] = [];
  if (text.length < SHORTEST_TERM) return out;
  const present = charsIn(text);
  for (const [term, kind] of CREDENTIAL_TERMS) if (mayContain(present, term) && text.includes(term)) out.push(`credential:${kind}`);
  for (const [term, kind] of PERSISTENCE_TERMS) if (mayContain(present, term) && text.includes(term)) out.push(kind);
  return out;
}

/**
 * Which ASCII characters a text holds, as four 32-bit words: a term whose first character is absent
 * cannot be in the text, so most string literals skip most `includes` calls (the result is the same).
 */
const mask = new Uint32Array(4);

function charsIn(text: string): Uint32Array {
  mask.fill(0);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) mask[c >> 5]! |= 1 << (c & 31);
  }
  return mask;
}

function mayContain(present: Uint32Array, term: string): boolean {
  const c = term.charCodeAt(0);
  return c >= 128 || (present[c >> 5]! & (1 << (c & 31))) !== 0;
}

/** Literal hosts in `text` (`scheme://host`), by a linear scan for `://`. */
export function hostsIn(text: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf('://'); i >= 0 && out.length < 20; i = text.indexOf('://', i + 3)) {
    const scheme = text.slice(Math.max(0, i - 5), i).toLowerCase();
    if (!/(?:https?|wss?|ftp)$/.test(scheme)) continue;
    let j = i + 3;
    while (j < text.length && j - i < 256 && /[A-Za-z0-9.-]/.test(text[j]!)) j++;
    const host = text.slice(i + 3, j).toLowerCase();
    if (!QUIET_HOSTS.has(host) && host.includes('.')) out.push(host);
  }
  return out;
}

/**
 * A string that is exactly a routable IPv4 address (`'203.0.113.50'`): code connecting to a literal
 * address names its server as surely as a URL does. Private, loopback and link-local ranges are quiet.
 */
export function isPublicIpv4(text: string): boolean {
  const first = text.charCodeAt(0);
  if (text.length < 7 || text.length > 15 || first < 48 || first > 57) return false;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (m.slice(1).some((o) => Number(o) > 255)) return false;
  return !(a === 0 || a === 10 || a === 127 || a >= 224 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168));
}
