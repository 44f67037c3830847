/** The registry layer's public surface: the npm client, its configuration, and the slim document types. */
export { createNpmRegistryClient, escapePackageName, parseRetryAfter, RegistryError } from './npm.js';
export type { NpmRegistryClientOptions, RegistryClient, RegistryRequestInfo, RegistryStats } from './npm.js';
export {
  askInstalledNpm,
  configFromLayers,
  createNpmRegistryConfig,
  envLayer,
  expandEnv,
  nerfDart,
  normalizeRegistryUrl,
  parseNpmrc,
  resolveNpmConfig,
} from './npmrc.js';
export type { NpmConfigLayer, NpmRegistryConfig, ResolveNpmConfigOptions } from './npmrc.js';
export { provenanceFromAttestations, splitConfigSourceUri } from './provenance.js';
export { estimatePackumentBytes, toPackument, PackumentReducer, PACKUMENT_SELECTOR } from './packument.js';
export { SelectiveJsonParser, JsonSyntaxError, parseSelected } from './json-select.js';
export type { Selector } from './json-select.js';
export type { InstallScripts, Packument, Person, ProvenanceSource, RegistryResult, VersionMeta } from './types.js';
