/**
 * Resolves when the first signal fires ('interrupted' for the first one, the command's own, and
 * 'stopped' for the others) or after `timeoutMs` ('timeout'), leaving no listener or timer behind.
 */
export function untilStopped(
  signals: readonly [AbortSignal, ...AbortSignal[]],
  timeoutMs: number | undefined,
): Promise<'interrupted' | 'stopped' | 'timeout'> {
  return new Promise((resolve) => {
    const [interrupt, ...others] = signals
    if (interrupt.aborted) {
      resolve('interrupted')
      return
    }
    const stopped = others.find((s) => s.aborted)
    if (stopped !== undefined) {
      resolve('stopped')
      return
    }
    const done = (how: 'interrupted' | 'stopped' | 'timeout'): void => {
      clearTimeout(timer)
      interrupt.removeEventListener('abort', onInterrupt)
      for (const s of others) s.removeEventListener('abort', onStop)
      resolve(how)
    }
    const onInterrupt = (): void => done('interrupted')
    const onStop = (): void => done('stopped')
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => done('timeout'), timeoutMs)
    interrupt.addEventListener('abort', onInterrupt, { once: true })
    for (const s of others) s.addEventListener('abort', onStop, { once: true })
  })
}
