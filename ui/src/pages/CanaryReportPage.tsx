import { useParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { gate, type CanaryReport } from "../api/client";
import { ProblemView } from "../components/common";

/** Counts of control and experiment values in `buckets` equal-width buckets over both series' range. */
export function histogram(control: (number | null)[], experiment: (number | null)[], buckets = 10) {
  const c = control.filter((v): v is number => v !== null && Number.isFinite(v));
  const e = experiment.filter((v): v is number => v !== null && Number.isFinite(v));
  const all = [...c, ...e];
  if (all.length === 0) return [];
  const min = Math.min(...all);
  const width = (Math.max(...all) - min) / buckets || 1;
  const rows = Array.from({ length: buckets }, (_, i) => ({ bucket: +(min + i * width).toPrecision(3), control: 0, experiment: 0 }));
  const index = (v: number) => Math.min(buckets - 1, Math.floor((v - min) / width));
  c.forEach((v) => rows[index(v)].control++);
  e.forEach((v) => rows[index(v)].experiment++);
  return rows;
}

/**
 * The report as stored: canary-judge leaves the points out of a report above its MaxReportBytes, and says why here
 * (metricSets is then empty).
 */
type StoredReport = CanaryReport & { pointsOmitted?: { reason: string; reportBytes: number; maxReportBytes: number } | null };

export function CanaryReportPage() {
  const id = useParams().id!;
  const report = useQuery({ queryKey: ["canary", id], queryFn: () => gate.canaryReport(id) });
  if (report.error) return <ProblemView error={report.error} />;
  if (!report.data) return <p>Loading…</p>;
  return <Report report={report.data} />;
}

function Report({ report }: { report: StoredReport }) {
  const r = report.result;
  return (
    <section className="canary">
      <h2>Canary {report.canaryConfigName ?? report.id}</h2>
      <p>
        Score <strong>{r.score.toFixed(1)}</strong> ({r.classification}) · pass {report.scoreThresholds.pass}, marginal {report.scoreThresholds.marginal}
        {r.classificationReason && <> · {r.classificationReason}</>}
      </p>
      <h3>Groups</h3>
      <table className="list">
        <tbody>
          {r.groups.map((g) => (
            <tr key={g.name}><td>{g.name}</td><td>{g.noData ? "no data" : g.score.toFixed(1)}</td><td className="muted">weight {g.weight}</td></tr>
          ))}
        </tbody>
      </table>
      <h3>Metrics</h3>
      {report.pointsOmitted && <p className="muted">Points not kept: {report.pointsOmitted.reason}</p>}
      {r.metrics.map((m) => {
        const set = report.metricSets.find((s) => s.name === m.name);
        const series = set ? Array.from({ length: Math.max(set.control.length, set.experiment.length) }, (_, i) => ({ i, control: set.control[i], experiment: set.experiment[i] })) : [];
        return (
          <div key={m.name} className="metric">
            <h4>
              {m.name} <span className={`status classification-${m.classification.toLowerCase()}`}>{m.classification}</span>
              {m.critical && <span className="muted"> critical</span>}
            </h4>
            <p className="muted">
              control mean {m.controlMean?.toPrecision(4) ?? "–"}, experiment mean {m.experimentMean?.toPrecision(4) ?? "–"}, ratio {m.ratio?.toPrecision(3) ?? "–"}
              {m.reason && ` · ${m.reason}`}
            </p>
            {set && (
              <div className="charts">
                <LineChart width={420} height={180} data={series}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="i" />
                  <YAxis />
                  <Tooltip />
                  <Legend />
                  <Line dataKey="control" stroke="#1f77b4" dot={false} isAnimationActive={false} />
                  <Line dataKey="experiment" stroke="#ff7f0e" dot={false} isAnimationActive={false} />
                </LineChart>
                <BarChart width={420} height={180} data={histogram(set.control, set.experiment)}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="bucket" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Bar dataKey="control" fill="#1f77b4" isAnimationActive={false} />
                  <Bar dataKey="experiment" fill="#ff7f0e" isAnimationActive={false} />
                </BarChart>
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}
