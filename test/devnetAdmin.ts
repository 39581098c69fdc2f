// Calls the devnet's own JSON-RPC methods (`og_…`) from tests.

/** Sends one admin JSON-RPC call to a devnet and returns its result; an error answer throws. */
export async function devnetAdmin<T = unknown>(
  rpcUrl: string,
  method: string,
  ...params: unknown[]
): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}

/** Reads the shipped hourly candles of a pair (`ETHUSDT`) as numbers, oldest first. */
export async function readShippedCandles(
  pair: 'ETHUSDT' | 'BTCUSDT',
): Promise<{ openTime: number; open: number; high: number; low: number; close: number }[]> {
  const { readFile } = await import('node:fs/promises')
  const text = await readFile(
    new URL(`../packages/devnet/data/${pair}-1h.csv`, import.meta.url),
    'utf8',
  )
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [time, open, high, low, close] = line.split(',').map(Number)
      return {
        openTime: (time as number) / 1000,
        open: open as number,
        high: high as number,
        low: low as number,
        close: close as number,
      }
    })
}

/** Sample standard deviation (n − 1) of the log returns of the closes, in float64. */
export function logReturnVolatility(closes: readonly number[]): number {
  const returns = closes.slice(1).map((close, index) => Math.log(close / closes[index]!))
  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length
  const squares = returns.reduce((sum, value) => sum + (value - mean) ** 2, 0)
  return Math.sqrt(squares / (returns.length - 1))
}
