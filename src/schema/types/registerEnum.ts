import { registerEnumType } from 'type-graphql';

/**
 * Registers an enum defined elsewhere (domain, catalog, downloads) as a schema enum, with a
 * description for the type and, where given, one for each value: the only settings the schema
 * uses, so a value's description is written as plain text.
 */
export function registerEnum<E extends Record<string, string>>(values: E, name: string, description: string, valueDescriptions?: Partial<Record<keyof E, string>>): void {
  const valuesConfig: Partial<Record<keyof E, { description: string }>> = {};
  for (const [value, text] of Object.entries(valueDescriptions ?? {}) as [keyof E, string][]) valuesConfig[value] = { description: text };
  registerEnumType(values, { name, description, valuesConfig });
}
