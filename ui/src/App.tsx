import { Link, NavLink, Outlet, Route, Routes, useParams } from "react-router";
import { ApplicationsPage } from "./pages/ApplicationsPage";
import { PipelinesPage } from "./pages/PipelinesPage";
import { ExecutionPage } from "./pages/ExecutionPage";
import { PipelineEditorPage } from "./pages/PipelineEditorPage";
import { ClustersPage } from "./pages/ClustersPage";
import { CanaryReportPage } from "./pages/CanaryReportPage";

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
