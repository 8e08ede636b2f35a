/**
 * Every call an adapter makes has an operation: a stable name that errors and logs carry
 * (`apple.requestTestNotification`), and a label that starts its messages in one voice
 * ("Requesting the Apple test notification failed: …").
 */
export interface Operation {
  /** `vendor.call`: what `NotificationTestError.operation` holds. */
  readonly name: string
  /** What the call does, as the first words of its messages. */
  readonly label: string
}

/** An adapter's operations by key, built from its labels: `{send: {name: 'acme.send', label}}`. */
export type OperationTable<K extends string> = { readonly [key in K]: Operation }

/** The operation table of a vendor: names are `vendor.key`, labels as given. */
export function defineOperations<K extends string>(
  vendor: string,
  labels: Readonly<Record<K, string>>,
): OperationTable<K> {
  const table = {} as Record<K, Operation>
  for (const key of Object.keys(labels) as K[]) {
    table[key] = { name: `${vendor}.${key}`, label: labels[key] }
  }
  return table
}

/** The one voice of failure messages: "Sending the X test notification failed: why. What to do." */
export function failedMessage(operation: Operation, detail: string): string {
  return `${operation.label} failed: ${detail}`
}
