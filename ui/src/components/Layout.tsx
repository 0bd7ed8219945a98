import { useEffect, useState, type ReactNode } from "react";
import { NavLink } from "react-router-dom";
import { CommandPalette } from "./CommandPalette";

const NAV: [string, string][] = [
  ["/", "Overview"],
  ["/assets", "Assets"],
  ["/lineage", "Lineage"],
  ["/jobs", "Jobs"],
  ["/runs", "Runs"],
];
const NAV2: [string, string][] = [
  ["/schedules", "Schedules"],
  ["/sensors", "Sensors"],
  ["/backfills", "Backfills"],
  ["/automation", "Automation"],
  ["/deployment", "Deployment"],
];

export function useTheme(): [string, () => void] {
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme ?? "light");
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const toggle = () => {
    const next = theme === "dark" ? "light" : "dark";
    localStorage.setItem("hw-theme", next);
    setTheme(next);
  };
  return [theme, toggle];
}

export function Layout({ children }: { children: ReactNode }) {
  const [theme, toggle] = useTheme();
  const [palette, setPalette] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setPalette((p) => !p);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const link = ([to, label]: [string, string]) => (
    <NavLink key={to} to={to} end={to === "/"} className={({ isActive }) => (isActive ? "active" : "")}>
      {label}
    </NavLink>
  );
  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">
          <svg width="18" height="18" viewBox="0 0 16 16" aria-hidden>
            <path d="M8 1C5 5 3 8 3 10.5A5 5 0 0 0 13 10.5C13 8 11 5 8 1z" fill="var(--accent)" />
          </svg>
          Headwater
        </div>
        <nav className="nav">{NAV.map(link)}</nav>
        <div className="nav-sep" />
        <nav className="nav">{NAV2.map(link)}</nav>
        <div className="sidebar-foot">
          <button onClick={() => setPalette(true)} title="Search assets, jobs and runs">
            Search <span className="kbd">Ctrl K</span>
          </button>
          <button onClick={toggle} data-testid="theme-toggle">
            {theme === "dark" ? "Light theme" : "Dark theme"}
          </button>
          <a href="/graphql" className="small">
            GraphQL API ↗
          </a>
        </div>
      </aside>
      <main className="main">{children}</main>
      {palette && <CommandPalette onClose={() => setPalette(false)} />}
    </div>
  );
}
