/**
 * Query depth and cost limits, checked before execution on HTTP and WebSocket alike.
 *
 * Cost estimate: every field costs 1, and what a list field selects is counted once per item
 * it may return: `first` (or the default page) for paged fields, `limit`/`lastRuns` when
 * given, else {@link LIST_GUESS} (a connection's edges are its page, counted once). Variables
 * count with their values, or their defaults. Introspection is free: the explorer's own query
 * is deep, and graphql-js's MaxIntrospectionDepthRule (a standard validation rule) bounds it.
 */
import {
  getNamedType,
  getNullableType,
  getVariableValues,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE } from '../db/page.js';
import { ApiError, ErrorCode } from './errors.js';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  /** Most aliased fields, fragments expanded: each alias of a field resolves it once more. */
  maxAliases: number;
  /** Most fields selected, fragments expanded (not multiplied by page sizes). */
  maxFields: number;
  /** Most lexical tokens in a document; the parser stops past it (GRAPHQL_PARSE_FAILED). */
  maxTokens: number;
}

/** Levels below a selection set, what it may cost, and its fields and aliases expanded. */
interface Measure {
  depth: number;
  cost: number;
  fields: number;
  aliases: number;
}

const LIST_GUESS = 10;
const SIZE_ARGS = ['first', 'limit', 'lastRuns'];

/**
 * Throws QUERY_TOO_DEEP, or QUERY_TOO_COSTLY for too many aliases, fields or too high a cost,
 * naming the measure and the limit.
 */
export function checkQueryLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: QueryLimits,
): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const operation =
    operations.find((o) => o.name?.value === operationName) ??
    (operations.length === 1 ? operations[0] : undefined);
  if (!operation) return; // graphql-js reports the missing operation itself
  const root = schema.getRootType(operation.operation);
  if (!root) return;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return; // execution reports bad variables
  const values = coerced.coerced;

  // Depth is measured below the selection set, so that a fragment's measure holds wherever it
  // is spread: each fragment is measured once, and a document that spreads fragments into
  // fragments costs time linear in its size (not in the exponential size of its expansion).
  const measured = new Map<string, Measure>();
  const inProgress = new Set<string>();
  const measure = (type: GraphQLNamedType, selections: SelectionSetNode): Measure => {
    let deepest = 0;
    let cost = 0;
    let fields = 0;
    let aliases = 0;
    const add = (child: Measure, levels: number, times: number) => {
      deepest = Math.max(deepest, child.depth + levels);
      cost += child.cost * times;
      fields += child.fields;
      aliases += child.aliases;
    };
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const field: GraphQLField<unknown, unknown> | undefined =
          isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
        if (!field) continue; // validation reports unknown fields
        cost += 1;
        fields += 1;
        if (selection.alias) aliases += 1;
        deepest = Math.max(deepest, 1);
        if (!selection.selectionSet) continue;
        const child = measure(getNamedType(field.type), selection.selectionSet);
        add(child, 1, itemsOf(type, field, selection.arguments ?? [], values));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const onType = selection.typeCondition
          ? (schema.getType(selection.typeCondition.name.value) ?? type)
          : type;
        add(measure(onType, selection.selectionSet), 0, 1);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation reports cycles and unknown fragments.
        if (!fragment || inProgress.has(name)) continue;
        let child = measured.get(name);
        if (!child) {
          inProgress.add(name);
          const onType = schema.getType(fragment.typeCondition.name.value) ?? type;
          child = measure(onType, fragment.selectionSet);
          inProgress.delete(name);
          measured.set(name, child);
        }
        add(child, 0, 1);
      }
    }
    return { depth: deepest, cost, fields, aliases };
  };

  const { depth, cost, fields, aliases } = measure(root, operation.selectionSet);
  if (depth > limits.maxDepth) {
    throw limitError(
      ErrorCode.QUERY_TOO_DEEP,
      `the query nests ${depth} levels deep; the limit is ${limits.maxDepth}`,
    );
  }
  if (aliases > limits.maxAliases) {
    throw limitError(
      ErrorCode.QUERY_TOO_COSTLY,
      `the query has ${aliases} aliased fields; the limit is ${limits.maxAliases}`,
    );
  }
  if (fields > limits.maxFields) {
    throw limitError(
      ErrorCode.QUERY_TOO_COSTLY,
      `the query selects ${fields} fields (fragments expanded); the limit is ${limits.maxFields}`,
    );
  }
  if (cost > limits.maxCost) {
    throw limitError(
      ErrorCode.QUERY_TOO_COSTLY,
      `the query may cost ${cost} (fields × page sizes); the limit is ${limits.maxCost}: ask for smaller pages or fewer fields`,
    );
  }
}

function itemsOf(
  parent: GraphQLNamedType,
  field: GraphQLField<unknown, unknown>,
  args: readonly { name: { value: string }; value: Parameters<typeof valueFromASTUntyped>[0] }[],
  variables: Record<string, unknown>,
): number {
  for (const arg of args) {
    if (!SIZE_ARGS.includes(arg.name.value)) continue;
    const value = valueFromASTUntyped(arg.value, variables);
    if (typeof value === 'number' && value > 0) return value;
  }
  if (field.args.some((a) => a.name === 'first')) return DEFAULT_PAGE;
  // A connection's edges and nodes are the page its field was already counted for.
  if (parent.name.endsWith('Connection')) return 1;
  return isListType(getNullableType(field.type)) ? LIST_GUESS : 1;
}

function limitError(code: ErrorCode, message: string): ApiError {
  // Without a status, Apollo answers errors thrown before execution with 500.
  return new ApiError(code, message, 400);
}
