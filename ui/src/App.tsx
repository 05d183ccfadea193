import { lazy, Suspense } from "react";
import { Link, NavLink, Outlet, Route, Routes, useParams } from "react-router";
import { ApplicationsPage } from "./pages/ApplicationsPage";
import { PipelinesPage } from "./pages/PipelinesPage";

// The pages with the graph library (React Flow), the charts (recharts) or the YAML parser load when first opened,
// so the applications and pipelines lists (where everyone starts) do not wait for them.
const ExecutionPage = lazy(() => import("./pages/ExecutionPage").then((m) => ({ default: m.ExecutionPage })));
const PipelineEditorPage = lazy(() => import("./pages/PipelineEditorPage").then((m) => ({ default: m.PipelineEditorPage })));
const ClustersPage = lazy(() => import("./pages/ClustersPage").then((m) => ({ default: m.ClustersPage })));
const CanaryReportPage = lazy(() => import("./pages/CanaryReportPage").then((m) => ({ default: m.CanaryReportPage })));

/**
 * The UI's routes. None starts with one of gate's API prefixes (GateUi.ApiPrefixes), so a reload of
 * any page gets index.html.
 */
export function App() {
  return (
    <div className="app">
      <header>
        <Link to="/" className="brand">Delivery</Link>
        <nav>
          <NavLink to="/" end>Applications</NavLink>
          <a href="/scalar">API</a>
        </nav>
      </header>
      <main>
        <Suspense fallback={<p>Loading…</p>}>
        <Routes>
          <Route path="/" element={<ApplicationsPage />} />
          <Route path="/app/:app" element={<AppLayout />}>
            <Route index element={<PipelinesPage />} />
            <Route path="executions/:id" element={<ExecutionPage />} />
            <Route path="edit/:name?" element={<PipelineEditorPage />} />
            <Route path="clusters" element={<ClustersPage />} />
          </Route>
          <Route path="/canary/:id" element={<CanaryReportPage />} />
          <Route path="*" element={<p>No such page. <Link to="/">Applications</Link></p>} />
        </Routes>
        </Suspense>
      </main>
    </div>
  );
}

function AppLayout() {
  const { app } = useParams();
  return (
    <>
      <div className="app-tabs">
        <h2>{app}</h2>
        <NavLink to={`/app/${app}`} end>Pipelines</NavLink>
        <NavLink to={`/app/${app}/clusters`}>Clusters</NavLink>
      </div>
      <Outlet />
    </>
  );
}
