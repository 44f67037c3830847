/** The registry layer's public surface: the npm client, the Python package index client, their configuration, and (from src/model) the slim document types. */
export { createClients } from './clients.js';
export type { Clients, ClientsOptions } from './clients.js';
export { createNpmRegistryClient, escapePackageName, parseRetryAfter, RegistryError } from './npm.js';
export type { NpmRegistryClientOptions, RegistryRequestInfo } from './npm.js';
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
export { SelectiveJsonParser, JsonSyntaxError, parseSelected } from '../readers/json-select.js';
export type { Selector } from '../readers/json-select.js';
export type {
  DistFile,
  InstallScripts,
  Packument,
  Person,
  ProvenanceSource,
  PythonIndexClient,
  ReadOptions,
  RegistryClient,
  RegistryResult,
  RegistryStats,
  VersionMeta,
  WheelListing,
} from '../model/index.js';
export {
  createPypiIndexClient,
  distKind,
  isValidProjectName,
  mergeProject,
  provenanceFromObject,
  provenanceFromPublisher,
  versionFromFilename,
} from './pypi.js';
export type { PypiIndexClientOptions, PypiRequestInfo, PypiRequestKind } from './pypi.js';
export {
  askInstalledPip,
  createPypiIndexConfig,
  deriveApiRoot,
  indexUrlFromPipFiles,
  normalizeIndexUrl,
  parsePipConfig,
  pipConfigFiles,
  resolvePypiIndexConfig,
} from './pip-config.js';
export type { PipConfigFileOptions, PipConfigFiles, PipConfigValues, PypiIndexConfig, ResolvePypiConfigOptions } from './pip-config.js';
export { PYPI_PUBLISH_PREDICATE, SIMPLE_JSON_V1 } from './pypi-schema.js';
export { listZipMembers, memorySource, parseCentralDirectory, WheelZipError } from '../archives/wheel-zip.js';
export type { RangeSource, ZipLimits } from '../archives/wheel-zip.js';
