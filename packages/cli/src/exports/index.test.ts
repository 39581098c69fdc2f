import { expect, test } from 'vitest'
import * as cli from './index.js'

test('exports', () => {
  expect(Object.keys(cli).sort()).toMatchInlineSnapshot(`
    [
      "CliAbortedError",
      "CliUsageError",
      "ConfigFileError",
      "InvalidPrivateKeyError",
      "MissingPrivateKeyError",
      "cliNetworkNames",
      "configFileName",
      "readConfig",
      "resolveConfigPath",
      "resolveSettings",
      "runCli",
      "version",
      "writeConfig",
    ]
  `)
})
