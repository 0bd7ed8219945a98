import { yaml } from "@codemirror/lang-yaml";
import { forceLinting, linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorView, basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { isMap, isPair, isScalar, parseDocument, type Node as YamlNode } from "yaml";

export interface PathProblem {
  path: string[];
  message: string;
}

/** Where in the text a config error points: the deepest node of its path that the document has
 * (a missing field is marked on its parent's key). */
export function pathRange(text: string, path: string[]): [number, number] {
  const doc = parseDocument(text);
  let node: unknown = doc.contents;
  let range: [number, number] = [0, Math.min(text.length, text.indexOf("\n") >= 0 ? text.indexOf("\n") : text.length)];
  for (const key of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (!pair || !isScalar(pair.key) || !pair.key.range) break;
    range = [pair.key.range[0], pair.key.range[1]];
    const value = pair.value as YamlNode | null;
    if (isScalar(value) && value.range) range = [pair.key.range[0], value.range[1]];
    node = value;
  }
  return range;
}

/** Diagnostics for YAML syntax errors, before anything is sent to the server. */
export function yamlDiagnostics(text: string): Diagnostic[] {
  const doc = parseDocument(text);
  return doc.errors.map((e) => ({
    from: Math.min(e.pos[0], text.length),
    to: Math.min(Math.max(e.pos[1], e.pos[0] + 1), text.length),
    severity: "error",
    message: e.message.split("\n")[0],
  }));
}

/** The run config editor: CodeMirror with YAML highlighting and syntax checks as you type. */
export function ConfigEditor({
  value,
  onChange,
  problems = [],
}: {
  value: string;
  onChange: (v: string) => void;
  /** Errors from the server, marked in the text at their path. */
  problems?: PathProblem[];
}) {
  const problemsRef = useRef(problems);
  problemsRef.current = problems;
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    if (!ref.current) return;
    const v = new EditorView({
      doc: value,
      parent: ref.current,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        linter(
          (ev) => {
            const text = ev.state.doc.toString();
            const syntax = yamlDiagnostics(text);
            if (syntax.length) return syntax;
            return problemsRef.current.map((p) => {
              const [from, to] = pathRange(text, p.path);
              return { from, to: Math.max(to, from + (text.length > from ? 1 : 0)), severity: "error" as const, message: p.message };
            });
          },
          { delay: 200 },
        ),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChangeRef.current(u.state.doc.toString());
        }),
        EditorView.theme({ "&": { fontSize: "12px" }, ".cm-gutters": { background: "transparent", border: "none" } }),
      ],
    });
    view.current = v;
    return () => v.destroy();
    // The editor is created once; later value changes from outside go through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);
  const problemsKey = JSON.stringify(problems);
  useEffect(() => {
    if (view.current) forceLinting(view.current);
  }, [problemsKey]);
  return <div ref={ref} data-testid="config-editor" />;
}
