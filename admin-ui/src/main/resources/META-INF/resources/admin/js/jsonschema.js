// A JSON Schema checker for the playground's live validity indicator. It covers the keywords structured
// output uses (type, properties, required, additionalProperties, items, enum, const, min/max, lengths,
// pattern, anyOf/oneOf/allOf, $ref to #/$defs), which is enough to tell an operator "valid" or why not;
// the server's own verdict (schema_validation) is shown beside it.

/** Returns a list of "path: problem" strings; empty means valid. */
export function validate(schema, value) {
  const problems = [];
  check(schema, value, '$', schema, problems);
  return problems;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected, v) {
  const actual = typeOf(v);
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function resolve(schema, root) {
  if (schema && typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
    let node = root;
    for (const part of schema.$ref.slice(2).split('/')) node = node ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    return node || {};
  }
  return schema;
}

function check(rawSchema, v, path, root, out) {
  if (rawSchema === true || rawSchema === undefined) return;
  if (rawSchema === false) { out.push(`${path}: not allowed`); return; }
  const s = resolve(rawSchema, root);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeMatches(t, v))) { out.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(v)}`); return; }
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) out.push(`${path}: not one of ${JSON.stringify(s.enum)}`);
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v)) out.push(`${path}: must be ${JSON.stringify(s.const)}`);
  if (typeof v === 'string') {
    if (s.minLength !== undefined && [...v].length < s.minLength) out.push(`${path}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && [...v].length > s.maxLength) out.push(`${path}: longer than ${s.maxLength}`);
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(v)) out.push(`${path}: does not match ${s.pattern}`);
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && v < s.minimum) out.push(`${path}: below ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) out.push(`${path}: above ${s.maximum}`);
    if (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum) out.push(`${path}: not above ${s.exclusiveMinimum}`);
    if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) out.push(`${path}: not below ${s.exclusiveMaximum}`);
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) out.push(`${path}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && v.length > s.maxItems) out.push(`${path}: more than ${s.maxItems} items`);
    if (s.items !== undefined) v.forEach((item, i) => check(s.items, item, `${path}[${i}]`, root, out));
  }
  if (typeOf(v) === 'object') {
    const props = s.properties || {};
    for (const r of s.required || []) if (!(r in v)) out.push(`${path}: missing required "${r}"`);
    for (const [k, item] of Object.entries(v)) {
      if (k in props) check(props[k], item, `${path}.${k}`, root, out);
      else if (s.additionalProperties === false) out.push(`${path}: unexpected property "${k}"`);
      else if (typeof s.additionalProperties === 'object') check(s.additionalProperties, item, `${path}.${k}`, root, out);
    }
  }
  if (s.allOf) s.allOf.forEach((sub) => check(sub, v, path, root, out));
  if (s.anyOf && !s.anyOf.some((sub) => validate1(sub, v, root))) out.push(`${path}: matches none of anyOf`);
  if (s.oneOf && s.oneOf.filter((sub) => validate1(sub, v, root)).length !== 1) out.push(`${path}: must match exactly one of oneOf`);
}

function validate1(schema, v, root) {
  const out = [];
  check(schema, v, '$', root, out);
  return out.length === 0;
}
