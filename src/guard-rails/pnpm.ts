/** pnpm's build and release-age settings, shared by `pnpm-workspace.yaml` and the `pnpm` field of package.json. */
import type { Spec } from './specs.js';
import { durationIn } from './values.js';

const BUILDS = 'pnpm runs install scripts only of the packages this list allows: each new entry runs code on every install';

export const PNPM_SPECS: readonly Spec[] = [
  { path: ['onlyBuiltDependencies'], rule: 'allow', entries: true, why: BUILDS },
  { path: ['allowBuilds'], rule: 'allow', entries: true, why: BUILDS },
  { path: ['neverBuiltDependencies'], rule: 'deny', entries: true, why: 'pnpm never runs install scripts of the packages on this list' },
  {
    path: ['dangerouslyAllowAllBuilds'],
    rule: 'flag',
    safe: (v) => v !== true && v !== 'true',
    defaultSafe: true,
    why: 'with dangerouslyAllowAllBuilds every dependency runs its install scripts',
  },
  {
    path: ['minimumReleaseAge'],
    rule: 'age',
    amount: (v) => durationIn(v, 'm'),
    why: 'the minimum release age (minutes) keeps just-published (possibly hijacked) versions out until they have been vetted',
  },
  { path: ['minimumReleaseAgeExclude'], rule: 'allow', entries: true, why: 'these packages skip the minimum release age' },
  {
    path: ['trustPolicy'],
    rule: 'flag',
    safe: (v) => v === 'no-downgrade',
    defaultSafe: false,
    why: 'trustPolicy no-downgrade refuses a version published with less trust (no provenance) than earlier ones, as a hijacked release is',
  },
  { path: ['trustPolicyExclude'], rule: 'allow', entries: true, why: 'these packages skip the trust policy' },
  {
    path: ['blockExoticSubdeps'],
    rule: 'flag',
    safe: (v) => v === true || v === 'true',
    defaultSafe: false,
    why: 'blockExoticSubdeps keeps transitive dependencies from coming from git or tarball URLs',
  },
];
