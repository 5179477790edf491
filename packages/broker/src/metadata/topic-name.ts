// Kafka's legal topic names (Topic.java): 1-249 characters of ASCII alphanumerics, '.', '_' and
// '-', and neither "." nor "..". Internal topics are the coordinators' own.

const maxNameLength = 249;
const legalChars = /^[a-zA-Z0-9._-]+$/;

const internalTopics: ReadonlySet<string> = new Set([
  "__consumer_offsets",
  "__transaction_state",
  "__share_group_state",
]);

/** Why `name` is not a legal topic name (Kafka's wording), or undefined when it is. */
export function invalidTopicNameReason(name: string): string | undefined {
  if (name === "") return "Topic name is invalid: the empty string is not allowed";
  if (name === ".") return "Topic name is invalid: '.' is not allowed";
  if (name === "..") return "Topic name is invalid: '..' is not allowed";
  if (name.length > maxNameLength)
    return `Topic name is invalid: the length of '${name}' is longer than the max allowed length ${maxNameLength}`;
  if (!legalChars.test(name))
    return `Topic name is invalid: '${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`;
  return undefined;
}

export function isValidTopicName(name: string): boolean {
  return invalidTopicNameReason(name) === undefined;
}

export function isInternalTopic(name: string): boolean {
  return internalTopics.has(name);
}

/**
 * '.' and '_' map to the same metric name, so Kafka refuses a topic that differs from an existing
 * one only by them. Returns the existing topic `name` collides with, if any.
 */
export function collidingTopic(name: string, existing: Iterable<string>): string | undefined {
  if (!name.includes(".") && !name.includes("_")) return undefined;
  const unified = name.replaceAll(".", "_");
  for (const other of existing) if (other !== name && other.replaceAll(".", "_") === unified) return other;
  return undefined;
}
