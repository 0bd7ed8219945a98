// The GraphQL client: one fetch per operation (POST, JSON), TanStack Query for caching and polling.
import { QueryClient, useMutation, useQuery, type UseQueryOptions } from "@tanstack/react-query";

export class GraphQLRequestError extends Error {}

export async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T; errors?: { message: string }[] };
  try {
    body = await response.json();
  } catch {
    throw new GraphQLRequestError(`The webserver answered ${response.status} without JSON.`);
  }
  if (body.errors?.length) throw new GraphQLRequestError(body.errors.map((e) => e.message).join("\n"));
  if (!body.data) throw new GraphQLRequestError(`The webserver answered ${response.status} with no data.`);
  return body.data;
}

export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 2_000, retry: 1, refetchOnWindowFocus: false } },
});

export function useGql<T>(
  key: unknown[],
  query: string,
  variables?: Record<string, unknown>,
  options?: Partial<UseQueryOptions<T, Error>>,
) {
  return useQuery<T, Error>({
    queryKey: key,
    queryFn: () => gql<T>(query, variables),
    ...options,
  });
}

export function useGqlMutation<T, V extends Record<string, unknown>>(query: string) {
  return useMutation<T, Error, V>({ mutationFn: (variables: V) => gql<T>(query, variables) });
}

// ---- shared shapes ----------------------------------------------------------------------------

export type RunStatus =
  | "QUEUED"
  | "NOT_STARTED"
  | "MANAGED"
  | "STARTING"
  | "STARTED"
  | "SUSPENDED"
  | "SUCCESS"
  | "FAILURE"
  | "CANCELING"
  | "CANCELED";

export interface AssetKey {
  path: string[];
}

export interface MetadataEntry {
  label: string;
  type: string;
  value: unknown;
  text: string;
}

export interface PythonError {
  __typename?: "PythonError";
  message: string;
  stack: string[];
  className?: string | null;
}

export interface NotAvailable {
  __typename: "NotAvailableError";
  message: string;
  feature: string;
}

export interface RunSummary {
  runId: string;
  status: RunStatus;
  jobName: string;
  creationTime: number;
  startTime: number | null;
  endTime: number | null;
  tags: { key: string; value: string }[];
  assetSelection: AssetKey[] | null;
  partition: string | null;
}

export const RUN_SUMMARY = `runId status jobName creationTime startTime endTime partition
  tags { key value } assetSelection { path }`;

export const keyString = (key: AssetKey | string[]): string =>
  (Array.isArray(key) ? key : key.path).join("/");

export const assetUrl = (key: AssetKey | string[]): string =>
  "/assets/" + (Array.isArray(key) ? key : key.path).map(encodeURIComponent).join("/");

export const LAUNCH_RESULT = `__typename
  ... on LaunchRunSuccess { run { runId } }
  ... on RunConfigValidationInvalid { message errors { message path reason } }
  ... on Error { message }
  ... on PythonError { message stack }
  ... on InvalidStepError { message }
  ... on InvalidOutputError { message }`;

export interface LaunchResult {
  __typename: string;
  run?: { runId: string };
  message?: string;
  errors?: { message: string; path: string[]; reason: string }[];
}
