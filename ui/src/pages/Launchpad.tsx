import { useEffect, useState } from "react";
import { useNavigate } from "react-router-dom";
import { parse, parseDocument } from "yaml";
import { LAUNCH_RESULT, gql, useGql, useGqlMutation, type LaunchResult, type RunSummary } from "../api";
import { ConfigEditor } from "../components/ConfigEditor";
import { launchErrorText } from "../components/MaterializeButton";
import { ErrorView } from "../components/Status";

interface Check {
  __typename: string;
  message?: string;
  errors?: { message: string; path: string[]; reason: string }[];
}

const CHECK = `query Check($pipeline: PipelineSelector!, $config: RunConfigData) {
  isPipelineConfigValid(pipeline: $pipeline, runConfigData: $config) {
    __typename
    ... on RunConfigValidationInvalid { message errors { message path reason } }
    ... on Error { message }
    ... on PythonError { message }
  }
}`;

const LAUNCH = `mutation Launch($params: ExecutionParams!) { launchRun(executionParams: $params) { ${LAUNCH_RESULT} } }`;

/** The config errors shown under the editor: YAML syntax first, then the job's schema. */
export function configProblems(text: string, check: Check | undefined): string[] {
  const doc = parseDocument(text);
  if (doc.errors.length) return doc.errors.map((e) => `YAML: ${e.message.split("\n")[0]}`);
  if (!check || check.__typename === "PipelineConfigValidationValid") return [];
  if (check.errors?.length) return check.errors.map((e) => (e.path.length ? `${e.path.join(".")}: ${e.message}` : e.message));
  return [check.message ?? check.__typename];
}

const SCAFFOLD = `query Scaffold($s: PipelineSelector!) { runConfigSchemaOrError(selector: $s) {
  __typename ... on RunConfigSchema { rootDefaultYaml scaffoldYaml hasRequiredFields } ... on Error { message } ... on PythonError { message } } }`;

interface Scaffold {
  __typename: string;
  scaffoldYaml?: string;
  hasRequiredFields?: boolean;
  message?: string;
}

/** ``text`` with every field of ``scaffold`` it lacks added (what it has is kept as written). */
export function scaffoldMissing(text: string, scaffold: string): string {
  const doc = parseDocument(text);
  const fill = parse(scaffold) as unknown;
  if (doc.errors.length || !fill || typeof fill !== "object") return text;
  if (!text.trim() || doc.contents === null) return scaffold;
  const walk = (value: unknown, path: string[]) => {
    if (value && typeof value === "object" && !Array.isArray(value) && doc.hasIn(path)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    } else if (!doc.hasIn(path)) doc.setIn(path, value);
  };
  for (const [k, v] of Object.entries(fill)) walk(v, [k]);
  return doc.toString();
}

export default function Launchpad({ location, job, defaultConfig }: { location: string; job: string; defaultConfig?: RunSummary }) {
  const navigate = useNavigate();
  const storageKey = `hw-launchpad:${location}:${job}`;
  const [text, setText] = useState(() => localStorage.getItem(storageKey) ?? "");
  const [started, setStarted] = useState(() => localStorage.getItem(storageKey) !== null);
  const [debounced, setDebounced] = useState(text);
  const [launchError, setLaunchError] = useState<string | null>(null);
  const previous = useGql<{ runOrError: { runConfigYaml?: string } }>(
    ["run-config", defaultConfig?.runId ?? ""],
    `query($id: ID!) { runOrError(runId: $id) { ... on Run { runConfigYaml } } }`,
    { id: defaultConfig?.runId ?? "" },
    { enabled: !!defaultConfig && !started },
  );
  const scaffold = useGql<{ runConfigSchemaOrError: Scaffold }>(["scaffold", location, job], SCAFFOLD, {
    s: { repositoryLocationName: location, repositoryName: "__repository__", pipelineName: job },
  });
  const scaffoldYaml = scaffold.data?.runConfigSchemaOrError.scaffoldYaml ?? "";
  // The editor starts from your edits (kept in this browser), else the last run's config, else the scaffold;
  // typing before those arrive keeps what you typed.
  const edit = (value: string) => {
    setStarted(true);
    setText(value);
  };
  useEffect(() => {
    if (started || scaffold.isLoading || (defaultConfig && previous.isLoading)) return;
    const yaml = previous.data?.runOrError.runConfigYaml;
    setText(yaml && yaml.trim() !== "{}" ? yaml : scaffoldYaml);
    setStarted(true);
  }, [started, scaffold.isLoading, previous.isLoading, previous.data, scaffoldYaml, defaultConfig]);
  useEffect(() => {
    if (started) localStorage.setItem(storageKey, text);
    const t = setTimeout(() => setDebounced(text), 300);
    return () => clearTimeout(t);
  }, [text, storageKey, started]);
  const pipeline = { repositoryLocationName: location, pipelineName: job };
  const syntaxOk = parseDocument(debounced).errors.length === 0;
  const check = useGql<{ isPipelineConfigValid: Check }>(["check", location, job, debounced], CHECK, { pipeline, config: debounced || null }, { enabled: syntaxOk, placeholderData: (p) => p });
  const problems = configProblems(text === debounced ? text : debounced, check.data?.isPipelineConfigValid);
  const valid = syntaxOk && check.data?.isPipelineConfigValid.__typename === "PipelineConfigValidationValid" && text === debounced;
  const launch = useGqlMutation<{ launchRun: LaunchResult }, { params: Record<string, unknown> }>(LAUNCH);
  const onLaunch = async () => {
    setLaunchError(null);
    try {
      const config = text.trim() ? parse(text) : null;
      const result = (await launch.mutateAsync({ params: { selector: { ...pipeline, jobName: job }, runConfigData: config } })).launchRun;
      const err = launchErrorText(result);
      if (err) setLaunchError(err);
      else if (result.run) navigate(`/runs/${result.run.runId}`);
    } catch (e) {
      setLaunchError((e as Error).message);
    }
  };
  return (
    <div className="grid2" style={{ gridTemplateColumns: "minmax(0, 2fr) minmax(260px, 1fr)" }}>
      <div className="panel" style={{ display: "flex", flexDirection: "column", gap: 10 }}>
        <div className="row">
          <h2 style={{ margin: 0 }}>Run config (YAML)</h2>
          <span className="spacer" />
          <button onClick={() => edit(scaffoldMissing(text, scaffoldYaml))} disabled={!scaffoldYaml} data-testid="scaffold" title="Add every required field and default the config lacks (what you wrote stays)">Scaffold missing config</button>
          <button onClick={() => edit(scaffoldYaml)} title="Start again from the job's defaults">Reset to defaults</button>
          <button className="primary" disabled={!valid || launch.isPending} onClick={onLaunch} data-testid="launch">
            {launch.isPending ? "Launching…" : "Launch run"}
          </button>
        </div>
        <ConfigEditor value={text} onChange={edit} problems={check.data?.isPipelineConfigValid.errors ?? []} />
        <div data-testid="config-status" className={problems.length ? "field-error" : "muted"}>
          {problems.length === 0 ? (check.isFetching || text !== debounced ? "Checking…" : "✓ The config is valid for this job.") : null}
          {problems.length > 0 && (
            <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="config-errors">
              {problems.map((p) => <li key={p}>{p}</li>)}
            </ul>
          )}
        </div>
        {launchError && <ErrorView error={launchError} title="Not launched" />}
      </div>
      <div className="panel">
        <h2>How this works</h2>
        <p className="muted" style={{ marginTop: 0 }}>
          The config is checked by the code location as you type (YAML syntax here, then the job's config schema),
          with the same check a launch makes. It starts from the job's last run's config, or else from the job's
          defaults with a placeholder for each required field (<span className="mono"># required</span>); your edits
          are kept in this browser.
        </p>
        {scaffold.data?.runConfigSchemaOrError.hasRequiredFields && <p className="small">This job needs some config: fill in the fields marked <span className="mono"># required</span>.</p>}
        {scaffold.data?.runConfigSchemaOrError.message && <ErrorView error={scaffold.data.runConfigSchemaOrError.message} title="No scaffold" />}
        <button onClick={() => gql(CHECK, { pipeline, config: text || null }).then(() => check.refetch())}>Check again</button>
      </div>
    </div>
  );
}
