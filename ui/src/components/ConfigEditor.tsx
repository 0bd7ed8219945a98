import { yaml } from "@codemirror/lang-yaml";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorView, basicSetup } from "codemirror";
import { useEffect, useRef } from "react";
import { parseDocument } from "yaml";

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
export function ConfigEditor({ value, onChange }: { value: string; onChange: (v: string) => void }) {
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
        linter((ev) => yamlDiagnostics(ev.state.doc.toString()), { delay: 200 }),
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
  return <div ref={ref} data-testid="config-editor" />;
}
