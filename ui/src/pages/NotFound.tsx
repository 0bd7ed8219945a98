import { Link } from "react-router-dom";

export default function NotFound() {
  return (
    <div className="page">
      <h1>Nothing here</h1>
      <p className="muted">
        No page at this address. Try the <Link to="/">overview</Link>, or search with <span className="kbd">Ctrl K</span>.
      </p>
    </div>
  );
}
