'use client';
// A JSON Schema as a compact tree: each field with its type label, required marker, limits and
// description; `$ref`s are opened in place from components.schemas.
import { constraints, fields, resolve, typeLabel, type JsonSchema, type SchemaNode, type Schemas } from './reference';

/** Text with `code` spans, as the document's descriptions are written. */
export function Inline({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/).map((part, i) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? <code key={i}>{part.slice(1, -1)}</code> : part))}
    </>
  );
}

const descriptionOf = (schema: JsonSchema, schemas: Schemas) => schema.description ?? resolve(schema, schemas).description;

export function SchemaView({ schema, schemas }: { schema: JsonSchema; schemas: Schemas }) {
  const nodes = fields(schema, schemas);
  const notes = constraints(resolve(schema, schemas));
  const description = descriptionOf(schema, schemas);
  return (
    <div className="schema">
      <p className="schema-root">
        <code className="schema-type">{typeLabel(schema, schemas)}</code>
        {notes.map((c) => <span key={c} className="schema-constraint">{c}</span>)}
        {description ? <span className="schema-desc"><Inline text={description} /></span> : null}
      </p>
      {nodes.length ? <SchemaFields nodes={nodes} schemas={schemas} /> : null}
    </div>
  );
}

function SchemaFields({ nodes, schemas }: { nodes: SchemaNode[]; schemas: Schemas }) {
  return (
    <ul className="schema-fields">
      {nodes.map((n) => {
        const description = descriptionOf(n.schema, schemas);
        return (
          <li key={n.name} data-field={n.name}>
            <div className="schema-line">
              <code className="schema-name">{n.name}</code>
              <span className="schema-type">{typeLabel(n.schema, schemas)}</span>
              {n.required ? <span className="schema-required">required</span> : null}
              {constraints(n.schema).map((c) => <span key={c} className="schema-constraint">{c}</span>)}
            </div>
            {description ? <p className="schema-desc"><Inline text={description} /></p> : null}
            {n.children.length ? <SchemaFields nodes={n.children} schemas={schemas} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
