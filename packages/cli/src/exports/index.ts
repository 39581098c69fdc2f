// @opengradient/cli: the `opengradient` (alias `og`) command-line tool, runnable in-process.

export {
  type CliNetworkName,
  cliNetworkNames,
  configFileName,
  type OpenGradientConfigFile,
  type ResolvedSettings,
  type ResolveSettingsParameters,
  readConfig,
  resolveConfigPath,
  resolveSettings,
  type Setting,
  type SettingSource,
  writeConfig,
} from '../config.js'
export {
  CliAbortedError,
  type CliAbortedErrorType,
  CliUsageError,
  type CliUsageErrorType,
  ConfigFileError,
  type ConfigFileErrorType,
  InvalidPrivateKeyError,
  type InvalidPrivateKeyErrorType,
  MissingPrivateKeyError,
  type MissingPrivateKeyErrorType,
} from '../errors.js'
export type { CliIo, CliReadable, CliWritable } from '../io.js'
export { runCli } from '../runCli.js'
export { version } from '../version.js'
