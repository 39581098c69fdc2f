// Fits the shape a request carries to the shape a model declares.

/** A dimension as a model declares it: a number when fixed, a name or -1 when free. */
export type DeclaredDimension = number | string

/**
 * The result of {@link fitShape}: the shape to feed, or why none fits. Reasons name no tensor;
 * the caller adds it.
 */
export type FitShapeReturnType = { shape: number[] } | { error: string }

/**
 * Chooses the shape a tensor of `count` elements is fed with.
 *
 * - `given` must hold exactly `count` elements.
 * - A model without a declared shape (`[]`, unknown rank) takes `given` as it is.
 * - With the declared rank, every fixed dimension must match.
 * - With another rank, the declared shape is used when its free dimensions can be solved from
 *   `count` (e.g. `[3]` fed to `[1, 3]`, `[12]` to `[3, 4]`), else leading ones are added or
 *   removed (e.g. `[24, 5]` to `['batch', 24, 5]`).
 *
 * @example
 * ```ts
 * fitShape([3], 3, [1, 3]) // { shape: [1, 3] }
 * fitShape([3], 3, ['n']) // { shape: [3] }
 * fitShape([2, 2], 4, [1, 3]) // { error: 'got [2,2], model expects [1,3]' }
 * ```
 */
export function fitShape(
  given: readonly number[],
  count: number,
  declared: readonly DeclaredDimension[],
): FitShapeReturnType {
  const needed = given.reduce((product, dimension) => product * dimension, 1)
  if (needed !== count) {
    return { error: `shape ${formatShape(given)} needs ${needed} values, got ${count}` }
  }
  if (declared.length === 0) return { shape: [...given] }
  if (given.length === declared.length) {
    return matches(given, declared)
      ? { shape: [...given] }
      : { error: `got ${formatShape(given)}, model expects ${formatShape(declared)}` }
  }
  const solved = solveFreeDimensions(declared, count)
  if (solved) return { shape: solved }
  const aligned = alignLeadingOnes(given, declared.length)
  if (aligned && matches(aligned, declared)) return { shape: aligned }
  return { error: `got ${formatShape(given)}, model expects ${formatShape(declared)}` }
}

/**
 * Writes a shape the way reasons and messages show it: `[1,3]`, free dimensions by name.
 *
 * @example
 * ```ts
 * formatShape([1, 'n']) // '[1,n]'
 * ```
 */
export function formatShape(shape: readonly DeclaredDimension[]): string {
  return `[${shape.map((dimension) => (isFixed(dimension) ? dimension : String(dimension).replace(/^-1$/, '?'))).join(',')}]`
}

function isFixed(dimension: DeclaredDimension): dimension is number {
  return typeof dimension === 'number' && dimension >= 0
}

function matches(shape: readonly number[], declared: readonly DeclaredDimension[]): boolean {
  return shape.every((dimension, index) => {
    const expected = declared[index]
    return expected === undefined || !isFixed(expected) || expected === dimension
  })
}

/** The declared shape with its one free dimension (if any) solved from `count`. */
function solveFreeDimensions(
  declared: readonly DeclaredDimension[],
  count: number,
): number[] | undefined {
  const fixedProduct = declared.reduce<number>(
    (product, dimension) => (isFixed(dimension) ? product * dimension : product),
    1,
  )
  const free = declared.filter((dimension) => !isFixed(dimension)).length
  if (free === 0) return fixedProduct === count ? declared.map(Number) : undefined
  if (free > 1 || fixedProduct === 0 || count % fixedProduct !== 0) return undefined
  return declared.map((dimension) => (isFixed(dimension) ? dimension : count / fixedProduct))
}

/** Adds or removes leading ones until the shape has `rank` dimensions. */
function alignLeadingOnes(shape: readonly number[], rank: number): number[] | undefined {
  const aligned = [...shape]
  while (aligned.length < rank) aligned.unshift(1)
  while (aligned.length > rank) {
    if (aligned[0] !== 1) return undefined
    aligned.shift()
  }
  return aligned
}
