import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode, Suspense, lazy } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { queryClient } from "./api";
import { Layout } from "./components/Layout";
import "./theme.css";

// One chunk per page: the first page loads only what it shows.
const Overview = lazy(() => import("./pages/Overview"));
const Catalog = lazy(() => import("./pages/Catalog"));
const AssetPage = lazy(() => import("./pages/AssetPage"));
const Lineage = lazy(() => import("./pages/Lineage"));
const Jobs = lazy(() => import("./pages/Jobs"));
const JobPage = lazy(() => import("./pages/JobPage"));
const Runs = lazy(() => import("./pages/Runs"));
const RunPage = lazy(() => import("./pages/RunPage"));
const Instigators = lazy(() => import("./pages/Instigators"));
const Backfills = lazy(() => import("./pages/Backfills"));
const BackfillPage = lazy(() => import("./pages/BackfillPage"));
const Automation = lazy(() => import("./pages/Automation"));
const Deployment = lazy(() => import("./pages/Deployment"));
const NotFound = lazy(() => import("./pages/NotFound"));

export function App() {
  return (
    <Layout>
      <Suspense fallback={<div className="loading">Loading…</div>}>
        <Routes>
          <Route path="/" element={<Overview />} />
          <Route path="/assets" element={<Catalog />} />
          <Route path="/assets/*" element={<AssetPage />} />
          <Route path="/lineage" element={<Lineage />} />
          <Route path="/jobs" element={<Jobs />} />
          <Route path="/jobs/:location/:job" element={<JobPage />} />
          <Route path="/jobs/:location/:job/launchpad" element={<JobPage launchpad />} />
          <Route path="/runs" element={<Runs />} />
          <Route path="/runs/:runId" element={<RunPage />} />
          <Route path="/schedules" element={<Instigators kind="schedules" />} />
          <Route path="/sensors" element={<Instigators kind="sensors" />} />
          <Route path="/backfills" element={<Backfills />} />
          <Route path="/backfills/:backfillId" element={<BackfillPage />} />
          <Route path="/automation" element={<Automation />} />
          <Route path="/deployment" element={<Deployment />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
}
