import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  Kind,
  parse,
  typeFromAST,
  validate,
  isEnumType,
  isListType,
  isNamedType,
  isNonNullType,
  type DocumentNode,
  type GraphQLType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE } from '../../src/catalog/input.js';
import { loadConfig } from '../../src/config.js';
import { operationCost } from '../../src/schema/cost.js';
import { buildApiSchema } from '../../src/schema/index.js';

/**
 * Every GraphQL document we publish — the README's examples and the web client's queries — must
 * be valid against the schema and cost no more than the default MAX_QUERY_COST, priced with the
 * largest `first` its variables could carry.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENT_QUERIES = path.join(repoRoot, 'src/web/static/site/queries.js');
const DEFAULT_MAX_COST = loadConfig({}).maxQueryCost;

/** The largest `first` each list field accepts; priced at that when a variable feeds it. */
const MAX_FIRST: Record<string, number> = { chart: 100 };

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildApiSchema();
});

interface Example {
  where: string;
  text: string;
}

function readmeExamples(): Example[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const examples: Example[] = [];
  const lineOf = (index: number) => readme.slice(0, index).split('\n').length;
  for (const block of readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)) {
    const [, language, body] = block as unknown as [string, string, string];
    const at = `README.md:${lineOf(block.index!)}`;
    if (language === 'graphql') examples.push({ where: at, text: body });
    // curl … -d '{"query": "…"}'
    for (const data of body.matchAll(/-d '(\{[\s\S]*?\})'/g)) {
      const payload = JSON.parse(data[1]!) as { query?: string };
      if (payload.query) examples.push({ where: `${at} (curl)`, text: payload.query });
    }
    // curl -G … --data-urlencode 'query=…'
    for (const data of body.matchAll(/--data-urlencode 'query=([^']*)'/g)) examples.push({ where: `${at} (curl GET)`, text: data[1]! });
    // const query = `…`; in the JavaScript examples.
    if (language === 'js') {
      for (const literal of body.matchAll(/const query = `([\s\S]*?)`;/g)) examples.push({ where: `${at} (js)`, text: literal[1]! });
    }
    // QUERY = """…""" and gql("""…""") in the Python examples.
    if (language === 'python') {
      for (const literal of body.matchAll(/"""([\s\S]*?)"""/g)) {
        if (/^\s*(\{|query\b|mutation\b)/.test(literal[1]!)) examples.push({ where: `${at} (python)`, text: literal[1]! });
      }
    }
  }
  return examples;
}

/** Values for the operation's variables, with every `first` at its maximum. */
function worstCaseVariables(operation: OperationDefinitionNode): Record<string, unknown> {
  const firstOf = new Map<string, number>();
  const walk = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) {
          if (argument.name.value === 'first' && argument.value.kind === Kind.VARIABLE) {
            firstOf.set(argument.value.name.value, MAX_FIRST[selection.name.value] ?? MAX_PAGE_SIZE);
          }
        }
      }
      if (selection.kind !== Kind.FRAGMENT_SPREAD) walk(selection.selectionSet);
    }
  };
  walk(operation.selectionSet);
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const declared = typeFromAST(schema, definition.type);
    const type = declared && isNonNullType(declared) ? declared.ofType : declared;
    variables[name] = firstOf.get(name) ?? sampleValue(type);
  }
  return variables;
}

/** Any valid value of a variable's type (ids and texts as "x"): only `first` changes the price. */
function sampleValue(type: GraphQLType | undefined): unknown {
  if (!type || isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isNamedType(type) && type.name === 'Int') return 1;
  if (isNamedType(type) && type.name === 'Boolean') return true;
  return 'x';
}

/** Validates a published document and returns the price of each of its operations. */
function check(example: Example): { operation: string; cost: number }[] {
  let document: DocumentNode;
  try {
    document = parse(example.text);
  } catch (error) {
    throw new Error(`${example.where}: ${(error as Error).message}`);
  }
  const errors = validate(schema, document).map((error) => error.message);
  expect(errors, `${example.where}: ${example.text.trim().slice(0, 80)}…`).toEqual([]);
  return document.definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({
      operation: operation.name?.value ?? '(anonymous)',
      cost: operationCost(schema, document, worstCaseVariables(operation), operation.name?.value),
    }));
}

describe('README examples', () => {
  it('are valid operations of the schema and cost no more than the default MAX_QUERY_COST', () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(10);
    const priced = examples.flatMap((example) => check(example).map((entry) => ({ where: example.where, ...entry })));
    console.log(`README: cost of each example (limit ${DEFAULT_MAX_COST})\n${priced.map((p) => `  ${p.where} ${p.operation}: ${p.cost}`).join('\n')}`);
    for (const entry of priced) expect(entry.cost, `${entry.where} ${entry.operation}`).toBeLessThanOrEqual(DEFAULT_MAX_COST);
  });
});

describe('web client queries (src/web/static/site/queries.js)', () => {
  const present = existsSync(CLIENT_QUERIES);
  if (!present) console.warn(`[skip] ${CLIENT_QUERIES} does not exist yet in this branch: nothing to price`);

  it.skipIf(!present)('are named operations of the schema and cost no more than the default MAX_QUERY_COST', async () => {
    const module = (await import(pathToFileURL(CLIENT_QUERIES).href)) as Record<string, unknown>;
    const documents = Object.entries(module).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    expect(documents.length).toBeGreaterThan(0);
    const priced = documents.flatMap(([name, text]) => {
      const entries = check({ where: `queries.js ${name}`, text });
      for (const entry of entries) expect(entry.operation, `queries.js ${name} must be a named operation`).not.toBe('(anonymous)');
      return entries.map((entry) => ({ name, ...entry }));
    });
    console.log(`queries.js: cost with every \`first\` at its maximum (limit ${DEFAULT_MAX_COST})\n${priced.map((p) => `  ${p.name} (${p.operation}): ${p.cost}`).join('\n')}`);
    for (const entry of priced) expect(entry.cost, entry.name).toBeLessThanOrEqual(DEFAULT_MAX_COST);
  });
});
