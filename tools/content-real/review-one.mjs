/**
 * One upgrade through the review engine: a one-package lockfile pair (base at `from`, head at `to`) on
 * the configured registry, reviewed with only the content signals on, the client's archive reads recorded.
 */
/** The content signals (src/signals/content.ts and manifest-mismatch): every other signal is switched off. */
export const CONTENT_SIGNALS = ['obfuscated-code', 'new-capability', 'new-executable', 'install-script-payload', 'manifest-mismatch'];

/** A lockfileVersion 3 package-lock with one registry package at `version`. */
export function lockfileOf(registry, name, version) {
  const bare = name.startsWith('@') ? name.split('/')[1] : name;
  return JSON.stringify({
    name: 'content-real',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'content-real', version: '1.0.0', dependencies: { [name]: version } },
      [`node_modules/${name}`]: { version, resolved: `${registry}${name}/-/${bare}-${version}.tgz` },
    },
  });
}

/** A view of the client that records what each archive read returned (contents, bytes downloaded). */
function recording(client, reads) {
  return new Proxy(client, {
    get(target, prop) {
      if (prop !== 'getContents') return Reflect.get(target, prop);
      return async (req, opts) => {
        const r = await target.getContents(req, opts);
        reads.set(req.version, r);
        return r;
      };
    },
  });
}

/** Reviews one upgrade; the record has the content findings, files +/-/~, bytes, ms, and why it was not read. */
export async function reviewUpgrade(upgrade, { review, compareContents, config, client, registry }) {
  const reads = new Map();
  const t = performance.now();
  const result = await review(
    [{ file: 'package-lock.json', base: lockfileOf(registry, upgrade.name, upgrade.from), head: lockfileOf(registry, upgrade.name, upgrade.to) }],
    { registry: recording(client.review(), reads), now: new Date(), config },
  );
  const ms = Math.round(performance.now() - t);
  const findings = result.changes.flatMap((c) => c.findings).filter((f) => CONTENT_SIGNALS.includes(f.signal));
  const record = { ...upgrade, ms, findings: findings.map(slim), downloaded: 0, unpacked: 0 };
  for (const r of reads.values()) if (r.ok) record.downloaded += r.downloaded;
  for (const r of reads.values()) if (r.ok) record.archiveBytes = (record.archiveBytes ?? 0) + r.contents.bytes.compressed;
  const next = reads.get(upgrade.to);
  // the engine compares with `from`, or with the previous release when the registry no longer has `from`
  const [compared, previous] = [...reads].find(([v]) => v !== upgrade.to) ?? [];
  if (compared !== undefined && compared !== upgrade.from) record.comparedWith = compared;
  if (next?.ok) record.unpacked = next.contents.bytes.unpacked;
  if (next?.ok && previous?.ok) record.files = filesOf(compareContents(previous.contents, next.contents));
  const failed = [...reads].filter(([, r]) => !r.ok).map(([v, r]) => `${v}: ${r.reason}`);
  const problems = [...failed, ...result.incomplete.map((i) => `${i.version ?? ''} ${i.reason}`), ...notesOf(result)];
  if (!record.files) record.notRead = problems.length ? problems.join('; ') : `no archives read (${reads.size} reads)`;
  else if (problems.length) record.partial = problems.join('; ');
  return record;
}

function filesOf(deltas) {
  const n = (s) => deltas.filter((d) => d.status === s).length;
  return { added: n('added'), removed: n('removed'), changed: n('changed') };
}

/** Notes about content not analysed (a skipped file, another origin): listed, never a silent pass. */
function notesOf(result) {
  const ours = (n) => n.kind === 'content-not-analysed' || (n.kind === 'signals-not-evaluated' && n.signals.some((s) => CONTENT_SIGNALS.includes(s)));
  return result.notes.filter(ours).map((n) => n.message);
}

function slim(f) {
  const e = f.evidence ?? {};
  return { signal: f.signal, severity: f.severity, message: f.message, file: e.file, lines: e.lines, kinds: e.kinds ?? [], comparedWith: e.comparedWith };
}
