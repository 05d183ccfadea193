import { useMemo, useState } from "react";
import { Link } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { gate, type Application } from "../api/client";
import { ProblemView } from "../components/common";

/** Owners are Spinnaker's permissions: the groups that may WRITE (and READ) the application. */
const owners = (app: Application) => app.permissions?.WRITE?.join(", ") ?? "";

export function ApplicationsPage() {
  const applications = useQuery({ queryKey: ["applications"], queryFn: gate.applications });
  const [search, setSearch] = useState("");
  const shown = useMemo(() => {
    const term = search.trim().toLowerCase();
    return (applications.data ?? [])
      .filter((a) => !term || [a.name, a.email ?? "", a.description ?? "", owners(a)].some((f) => f.toLowerCase().includes(term)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [applications.data, search]);
  return (
    <section>
      <h2>Applications</h2>
      <CreateApplication />
      <input className="search" placeholder="Search applications" aria-label="Search applications" value={search} onChange={(e) => setSearch(e.target.value)} />
      <ProblemView error={applications.error} />
      {applications.isPending ? (
        <p>Loading…</p>
      ) : (
        <table className="list">
          <thead>
            <tr><th>Name</th><th>Email</th><th>Owners</th><th>Description</th></tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr key={a.name}>
                <td><Link to={`/app/${a.name}`}>{a.name}</Link></td>
                <td>{a.email}</td>
                <td>{owners(a)}</td>
                <td>{a.description}</td>
              </tr>
            ))}
            {shown.length === 0 && <tr><td colSpan={4}>No applications{search ? " match" : " yet"}.</td></tr>}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CreateApplication() {
  const client = useQueryClient();
  const [form, setForm] = useState({ name: "", email: "", owners: "", description: "" });
  const save = useMutation({
    mutationFn: () => {
      const groups = form.owners.split(",").map((o) => o.trim()).filter(Boolean);
      return gate.saveApplication({
        name: form.name.trim(),
        email: form.email.trim() || undefined,
        description: form.description.trim() || undefined,
        permissions: groups.length ? { READ: groups, WRITE: groups } : undefined,
      });
    },
    onSuccess: () => {
      setForm({ name: "", email: "", owners: "", description: "" });
      void client.invalidateQueries({ queryKey: ["applications"] });
    },
  });
  const field = (key: keyof typeof form, label: string) => (
    <label>
      {label}
      <input aria-label={label} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </label>
  );
  return (
    <form className="inline-form" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      {field("name", "Name")}
      {field("email", "Email")}
      {field("owners", "Owners (groups, comma-separated)")}
      {field("description", "Description")}
      <button type="submit" disabled={save.isPending || !form.name.trim()}>Create application</button>
      <ProblemView error={save.error} />
    </form>
  );
}
